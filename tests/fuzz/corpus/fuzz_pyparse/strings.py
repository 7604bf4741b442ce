s = [rb"a", Rb"b", bR"c", BR"d", f"{x!r:>{w}}", Fr"e", rF"f", u"g", U"h", b"\x00", r"\"", "a" "b", ub"x"]
t = """multi
line""" + '''x\
y'''
q = """a\"""b"""
r = ''''x''''
