#!/usr/bin/env python3
"""Writes a large, realistic iPXE script: menus, items, labels, kernels, settings.

usage: gen_script.py SIZE_MB OUT
"""
import sys

size = int(float(sys.argv[1]) * 1024 * 1024)
out = open(sys.argv[2], "w")
out.write("#!ipxe\nset base-url http://boot.example.org/images\n:start\ndhcp || goto start\n")
written = 0
block = 0
while written < size:
    chunk = []
    chunk.append(f":menu{block}\nmenu Boot menu {block}\n")
    for i in range(8):
        chunk.append(f"item --key {i} os{block}_{i} Operating system {block}.{i}\n")
    chunk.append(f"choose --default os{block}_0 --timeout 5000 target || goto start\ngoto ${{target}}\n")
    for i in range(8):
        chunk.append(
            f":os{block}_{i}\n"
            f"kernel ${{base-url}}/os{block}/{i}/vmlinuz initrd=initrd.img console=ttyS0 quiet ip=${{net0/ip}}\n"
            f"initrd --name initrd.img ${{base-url}}/os{block}/{i}/initrd.img\n"
            f"boot || goto menu{block}\n"
        )
    text = "".join(chunk)
    out.write(text)
    written += len(text)
    block += 1
out.close()
