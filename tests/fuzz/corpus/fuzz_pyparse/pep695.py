type X = int
type Y[T: (int, str), *Ts, **P] = dict[T, P]
class A[T: int = str, *Ts](Base, metaclass=M): pass
def f[T](x: T) -> T: ...
try:
    pass
except* ValueError as e:
    pass
1 <> 2
x = 1 ! 2
0777 1if x else 2 0x1for
