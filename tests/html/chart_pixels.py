#!/usr/bin/env python3
"""Counts, in a PNG screenshot, the pixels near each of the given colours.

usage: chart_pixels.py SHOT.png NAME=#rrggbb:MINIMUM ...
Prints each name's count; exits 1 when one is below its minimum (a chart not
drawn). A small PNG reader of its own (zlib and the five row filters), so the
test needs nothing beyond Python.
"""
import struct
import sys
import zlib

TOLERANCE = 28  # per channel: anti-aliased edges are not counted, a line's or a bar's inside is


def read_png(path):
    with open(path, "rb") as stream:
        data = stream.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunk = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        at += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        sys.exit(f"{path}: only 8-bit RGB or RGBA, not interlaced (got depth {depth}, colour type {colour})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))[2]
                line[x] = (line[x] + nearest) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = read_png(sys.argv[1])
    wanted = []
    for argument in sys.argv[2:]:
        name, spec = argument.split("=", 1)
        colour, minimum = spec.split(":")
        wanted.append((name, tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)), int(minimum)))
    counts = {name: 0 for name, _, _ in wanted}
    for row in rows:
        for x in range(0, width * channels, channels):
            pixel = row[x:x + 3]
            for name, colour, _ in wanted:
                if all(abs(pixel[i] - colour[i]) <= TOLERANCE for i in range(3)):
                    counts[name] += 1
    failed = False
    for name, colour, minimum in wanted:
        print(f"{name}: {counts[name]} pixels near #{''.join(f'{c:02x}' for c in colour)} (at least {minimum})")
        failed |= counts[name] < minimum
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
