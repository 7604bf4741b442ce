x = (1,
     2)
y = [
  # comment
]
z = 1 + \
    2
