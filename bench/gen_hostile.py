#!/usr/bin/env python3
"""Writes one of the hostile script shapes at a given scale.

usage: gen_hostile.py SHAPE SCALE OUT
shapes: labels (100,000 labels at scale 1), items (50,000 menu items),
        long-line (an 8 MB line), nested (20,000 nested ${), unclosed (50,000 unclosed ${)
"""
import sys

shape, scale, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    f.write("#!ipxe\n")
    if shape == "labels":
        n = 100_000 * scale
        for i in range(n):
            f.write(f":l{i}\ngoto l{(i * 7919) % n} ||\n")
    elif shape == "items":
        n = 50_000 * scale
        f.write("menu Big\n")
        for i in range(n):
            f.write(f"item --key {i % 10} i{i} Item number {i}\n")
        f.write("choose --timeout 5000 t || exit 1\ngoto ${t}\n")
        for i in range(0, n, 97):
            f.write(f":i{i}\nexit 0\n")
    elif shape == "long-line":
        f.write("echo " + "x" * (8 * 1024 * 1024 * scale) + "\n")
    elif shape == "nested":
        n = 20_000 * scale
        f.write("echo " + "${" * n + "x" + "}" * n + "\n")
    elif shape == "unclosed":
        n = 50_000 * scale
        f.write("echo " + "${" * n + "\n")
    else:
        sys.exit(f"unknown shape {shape}")
