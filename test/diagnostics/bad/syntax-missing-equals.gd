# expect: GD1003
dim n 5
