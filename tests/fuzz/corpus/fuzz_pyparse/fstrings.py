x = f"a{{b}}c{x!r:>{w}} {y=} {z:%H}"
y = f"{a["b"]}" f"{"\n".join(x)}" f"{x # c
}"
z = rf"\{x}\n" f"\N{BULLET} {x}" f"{x:{y}.{z}f}"
w = f"{f"{f"{1}"}"}" F"""{
  x
}""" Rf"{x}"
v = f"{x:
}" f"{ x = }" f"{x=!r:^20}" f"{x:{{}}}"
u = f"{x!r:{{y}}}" f"{lambda: 1}" f"{x:=10}" f"{(x:=10)}"
