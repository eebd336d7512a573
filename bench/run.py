#!/usr/bin/env python3
"""make bench: mixdown against SoX and FFmpeg on the same work.

The work: the demo's eight tracks stretched to MINUTES minutes each (their
40 s files repeated), each with its own gain and pan (constant-power law),
summed to a stereo 24-bit WAV at 48 kHz. Every tool reads the same 48 kHz
inputs and writes the same format; the preparation is not timed. Each tool
runs RUNS times; the median wall time is reported, with the ratio
peer time / mixdown time (above 1: mixdown is faster).
"""
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
WORK = os.path.join(BUILD, "bench-work")
MINUTES = int(os.environ.get("BENCH_MINUTES", "10"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

# name, gain dB, pan (-1..1), channels of the demo file
# (levels leave the sum below full scale, so no tool clips)
TRACKS = [("kick", -11.0, 0.0), ("snare", -9.0, 0.0), ("hats", -13.0, 0.3), ("bass", -10.0, 0.0),
          ("keys", -15.0, 0.0), ("guitar_l", -8.0, -0.6), ("guitar_r", -9.5, 0.6), ("lead", -7.0, 0.0)]


def run(command, **kwargs):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)


def prepare():
    os.makedirs(WORK, exist_ok=True)
    demo = os.path.join(WORK, "demo")
    run([os.path.join(BUILD, "make-demo-audio"), demo])
    repeats = MINUTES * 60 // 40
    for name, _, _ in TRACKS:
        target = os.path.join(WORK, name + ".wav")
        if os.path.exists(target):
            continue
        # Same rate for every tool (48 kHz), so the work is a pure mix.
        run(["sox"] + [os.path.join(demo, name + ".wav")] * repeats + ["-b", "24", target, "rate", "-v", "48000"])


def gains(gain_db, pan):
    angle = (pan + 1.0) * math.pi / 4.0
    level = 10.0 ** (gain_db / 20.0)
    return level * math.cos(angle), level * math.sin(angle)


def channels_of(name):
    return 2 if name == "keys" else 1


def mixdown_command():
    session = {"mixdown": 1, "sample_rate": 48000, "pan_law": "-3dB", "tail_s": 0,
               "tracks": [{"name": name, "source": name + ".wav", "gain_db": gain_db, "pan": pan}
                          for name, gain_db, pan in TRACKS],
               "outputs": {"mix": {"file": "mixdown.wav", "bit_depth": 24}}}
    with open(os.path.join(WORK, "bench.json"), "w") as stream:
        json.dump(session, stream)
    return [os.path.join(BUILD, "mixdown"), "render", "bench.json", "-o", ".", "--mix-only", "--quiet"]


def sox_command():
    # -M merges the inputs into one multichannel stream; remix sums them with per-channel gains.
    left, right, channel = [], [], 1
    for name, gain_db, pan in TRACKS:
        if channels_of(name) == 1:
            gain_left, gain_right = gains(gain_db, pan)
            left.append(f"{channel}v{gain_left:.9f}")
            right.append(f"{channel}v{gain_right:.9f}")
        else:  # stereo: balance at centre is unity on each side
            level = 10.0 ** (gain_db / 20.0)
            left.append(f"{channel}v{level:.9f}")
            right.append(f"{channel + 1}v{level:.9f}")
        channel += channels_of(name)
    return (["sox", "-M"] + [name + ".wav" for name, _, _ in TRACKS] +
            ["-b", "24", "sox.wav", "remix", ",".join(left), ",".join(right)])


def ffmpeg_command():
    inputs, filters, labels = [], [], []
    for index, (name, gain_db, pan) in enumerate(TRACKS):
        inputs += ["-i", name + ".wav"]
        if channels_of(name) == 1:
            gain_left, gain_right = gains(gain_db, pan)
            filters.append(f"[{index}]pan=stereo|c0={gain_left:.9f}*c0|c1={gain_right:.9f}*c0[a{index}]")
        else:
            level = 10.0 ** (gain_db / 20.0)
            filters.append(f"[{index}]pan=stereo|c0={level:.9f}*c0|c1={level:.9f}*c1[a{index}]")
        labels.append(f"[a{index}]")
    graph = ";".join(filters) + ";" + "".join(labels) + f"amix=inputs={len(TRACKS)}:normalize=0"
    return (["ffmpeg", "-nostdin", "-loglevel", "error", "-y"] + inputs +
            ["-filter_complex", graph, "-c:a", "pcm_s24le", "ffmpeg.wav"])


def median_seconds(command):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run(command, cwd=WORK)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    missing = [tool for tool in ("sox", "ffmpeg") if shutil.which(tool) is None]
    if missing:
        sys.exit("bench: missing " + ", ".join(missing) + " (scripts/install-bench-deps.sh installs them)")
    prepare()
    results = [("mixdown", median_seconds(mixdown_command())),
               ("sox", median_seconds(sox_command())),
               ("ffmpeg", median_seconds(ffmpeg_command()))]
    audio_s = MINUTES * 60
    base = results[0][1]
    print(f"work: {len(TRACKS)} tracks x {MINUTES} min, gain + constant-power pan, 24-bit stereo WAV at 48 kHz; "
          f"median of {RUNS} runs on {os.cpu_count()} cores")
    print(f"{'tool':<10}{'seconds':>10}{'x realtime':>12}{'ratio':>10}")
    for tool, seconds in results:
        print(f"{tool:<10}{seconds:>10.2f}{audio_s / seconds:>12.0f}{seconds / base:>10.2f}")
    print("ratio = tool time / mixdown time (above 1: mixdown is faster)")
    print()
    print("convolution: a 10 s stereo IR over 3 min of stereo audio at 48 kHz, one core (target >= 20x realtime)")
    subprocess.run([os.path.join(BUILD, "convolution_speed")], check=True)


if __name__ == "__main__":
    main()
