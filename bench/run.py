#!/usr/bin/env python3
"""make bench: the speed of mixdown on a realistic session (issue 7).

The work. A synthetic multitrack song made by the project's own generator
(build/make_bench_corpus: 48 kHz, 24-bit WAV, every 4th track stereo), mixed
by one session: per track an EQ (highpass 80 Hz 12 dB/oct, peak 250 Hz -3 dB
q 1, peak 2.5 kHz +2 dB q 1.4, high shelf 8 kHz +1.5 dB), a compressor
(-18 dB, 3:1, 10/100 ms), fader, pan and a post-fader send to a shared
`reverb` bus; a compressor on the master (-10 dB, 2:1, 30/200 ms); a 24-bit
stereo mix, tail_s 0. Workloads: 16 and 64 tracks of SECONDS (180) each; the
64-track session also with one stem per track, and with -j 1 and -j 2 (the
issue's target: -j 2 at least 1.8 times as fast as -j 1).

The peers render the same session from the same files into the same format,
as faithfully as each allows (what each cannot express is printed): FFmpeg
(one -filter_complex graph), SoX (one process per track, tee'd through named
pipes into a reverb bus and the master) and ecasound (one chainsetup, loop
devices as buses). The floors are the physical yardstick, measured in the
same run: `cat` of the inputs (warm cache) and build/floor_mix, a plain
single-threaded libsndfile loop (read, pan, sum; + one biquad per channel;
+ every stem).

Every tool runs RUNS (3) times, round-robin (one run of each tool, then the
next round, starting one tool later each round) because the machine is
shared and noisy; the table shows medians of wall time, CPU time (user + sys
of the child and everything it waited for, from os.wait4) and peak RSS (the
largest single process, reported by GNU time: for SoX one of its ~2 x tracks
processes). A memory check renders 64 tracks of LONG_SECONDS (5 x SECONDS)
with mixdown alone, once, to compare its peak RSS with the SECONDS render.
Outputs are deleted and the page cache synced between runs, untimed. The
up-to-date figures render the 64-track stems session once into its folder,
then again unchanged and again with one track's gain changed (RUNS each).

Environment: BENCH_SECONDS, BENCH_LONG_SECONDS, BENCH_RUNS. The corpus is
generated once into build/bench-work/corpus-*/ and reused (regenerated when
bench/make_bench_corpus.cpp changes). Results: build/bench-work/results.json.
"""
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
WORK = os.path.join(BUILD, "bench-work")
MIXDOWN = os.path.join(BUILD, "mixdown")
CORPUS_GENERATOR = os.path.join(BUILD, "make_bench_corpus")
FLOOR = os.path.join(BUILD, "floor_mix")
GNU_TIME = "/usr/bin/time"

SECONDS = float(os.environ.get("BENCH_SECONDS", "180"))
LONG_SECONDS = float(os.environ.get("BENCH_LONG_SECONDS", str(5 * SECONDS)))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CORES = os.cpu_count() or 1
RATE = 48000

# The generator's parts, in its order (track i plays ROLES[i % 8]; the pad and the keys are stereo).
ROLES = ["kick", "bass", "snare", "pad", "hats", "lead", "pluck", "keys"]
STEREO_ROLES = {"pad", "keys"}
# A plausible balance (dB, pan) for each part; copies of a part spread across the stereo field.
ROLE_MIX = {"kick": (-4, 0.0), "bass": (-5, 0.0), "snare": (-6, 0.05), "pad": (-8, 0.0),
            "hats": (-8, 0.3), "lead": (-5, -0.1), "pluck": (-8, -0.45), "keys": (-9, 0.15)}
SEND_DB = -14.0

# The processing of every track and of the master, in mixdown's terms; the peers are built from the same numbers.
EQ_BANDS = [{"type": "highpass", "freq_hz": 80, "slope_db_oct": 12},
            {"type": "peak", "freq_hz": 250, "gain_db": -3, "q": 1.0},
            {"type": "peak", "freq_hz": 2500, "gain_db": 2, "q": 1.4},
            {"type": "high_shelf", "freq_hz": 8000, "gain_db": 1.5, "q": 0.707}]
TRACK_COMPRESSOR = {"threshold_db": -18, "ratio": 3, "attack_ms": 10, "release_ms": 100}
MASTER_COMPRESSOR = {"threshold_db": -10, "ratio": 2, "attack_ms": 30, "release_ms": 200}
REVERB = {"type": "reverb", "mix": 1}  # mixdown's defaults: decay 1.8 s, predelay 20 ms, size 0.6, damping 0.5

PEER_LIMITS = {
    "ffmpeg": [
        "EQ and highpass: RBJ biquads like mixdown's (highpass, equalizer, highshelf), the same curves.",
        "compressor: acompressor with peak detection and linked channels, but its knee is at least 1 dB "
        "(mixdown's is hard) and its attack/release smooth the detector, not the gain in dB.",
        "reverb: FFmpeg has no algorithmic reverb; aecho (10 taps, 20-190 ms, no feedback, no diffusion, "
        "the same taps on both sides) stands in for it.",
    ],
    "sox": [
        "EQ and highpass: RBJ biquads (highpass, equalizer, treble), the same curves.",
        "compressor: compand, a different law: its attack/decay times average the detected level instead of "
        "smoothing the gain in dB (same threshold and ratio, a 0.01 dB knee).",
        "reverb: SoX's freeverb-based reverb -w (reverberance 50 %, damping 50 %, room 60 %, pre-delay 20 ms), "
        "not mixdown's FDN.",
        "routing: one process per track tee'd into named pipes feeding a reverb process and the master "
        "(SoX has no buses); the send level is applied once on the bus sum (the same by linearity).",
        "output: -D, no dither, like mixdown at 24 bits.",
    ],
    "ecasound": [
        "highpass: -efh, a 2nd-order Butterworth (the same 12 dB/oct, Q 0.707 curve).",
        "peaks and shelf: no built-in parametric EQ; each band is built as dry + (g - 1) x filter on parallel "
        "chains (-efb bandpass, Q scaled by sqrt(g): the analog RBJ peak; -efh for the shelf: a 2nd-order "
        "shelf, not RBJ's), summed through loop devices.",
        "compressor: -eca (Dyson's auto-gain compressor, release 0.1 / 0.2 s): no threshold, ratio or attack. "
        "-ec is no alternative: it reshapes sample-to-sample steps, with spikes to full scale.",
        "reverb: -ete (64-tap feedback echo per channel, 10 m room, wet only).",
        "length: the output is rounded up to the engine's buffer (up to 0.02 s more).",
    ],
}


@dataclass
class Track:
    name: str
    path: str  # relative to WORK, where the sessions and scripts live
    channels: int
    gain_db: float
    pan: float


@dataclass
class Workload:
    label: str
    tracks: list
    seconds: float

    @property
    def title(self):
        stereo = sum(track.channels == 2 for track in self.tracks)
        return (f"{len(self.tracks)} tracks ({stereo} stereo) x {self.seconds:g} s, "
                f"{len(self.tracks) * self.seconds / 60:.0f} track-minutes")


@dataclass
class Tool:
    name: str
    kind: str  # "mixdown", "peer" or "floor"
    argv: list
    mix: str  # the file the run must write (absolute)
    scratch: list = field(default_factory=list)  # directories the run fills and that are emptied after it
    stems: bool = False


@dataclass
class Measure:
    wall_s: float
    cpu_s: float
    rss_mb: float
    ok: bool
    note: str = ""
    load: float = 0.0  # 1-minute load average when the run started, counting other users of the machine


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Corpus


def corpus_dir(seconds):
    return os.path.join(WORK, f"corpus-{seconds:g}s")


def generator_fingerprint():
    with open(os.path.join(ROOT, "bench", "make_bench_corpus.cpp"), "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def ensure_corpus(track_count, seconds):
    """Generates track_count tracks of `seconds` once; a marker holding the generator's hash says they are complete."""
    directory = corpus_dir(seconds)
    marker = os.path.join(directory, "complete.json")
    expected = {"tracks": track_count, "seconds": seconds, "rate": RATE, "generator": generator_fingerprint()}
    if os.path.exists(marker):
        with open(marker) as stream:
            if json.load(stream) == expected:
                return
    log(f"generating the corpus: {track_count} tracks x {seconds:g} s into {os.path.relpath(directory, ROOT)} (once)")
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)

    def generate(index):
        target = os.path.join(directory, track_file(index))
        subprocess.run([CORPUS_GENERATOR, target + ".part", str(index), f"{seconds:g}"], check=True)
        os.replace(target + ".part", target)

    with ThreadPoolExecutor(max_workers=CORES) as pool:
        list(pool.map(generate, range(track_count)))
    with open(marker, "w") as stream:
        json.dump(expected, stream)


def track_file(index):
    return f"{index:02d}_{ROLES[index % 8]}.wav"


def make_tracks(count, seconds):
    """The song's tracks with their faders and pans; faders come down as tracks are added so the sum stays sane."""
    tracks = []
    for index in range(count):
        role = ROLES[index % 8]
        copy = index // 8
        base_db, base_pan = ROLE_MIX[role]
        pan = max(-0.9, min(0.9, base_pan + 0.12 * copy * (-1) ** copy))
        gain_db = base_db - 4 - 10 * math.log10(count / 8)
        tracks.append(Track(f"{index:02d} {role}", os.path.join(os.path.basename(corpus_dir(seconds)), track_file(index)),
                            2 if role in STEREO_ROLES else 1, round(gain_db, 2), round(pan, 2)))
    return tracks


# ---------------------------------------------------------------------------------------------------------------
# Sessions and the tools' commands


def write_session(workload, stems):
    session = {
        "mixdown": 1, "sample_rate": RATE, "pan_law": "-3dB", "tail_s": 0,
        "tracks": [{"name": track.name, "source": track.path, "gain_db": track.gain_db, "pan": track.pan,
                    "inserts": [{"type": "eq", "bands": EQ_BANDS}, {"type": "compressor", **TRACK_COMPRESSOR}],
                    "sends": [{"bus": "reverb", "level_db": SEND_DB}]} for track in workload.tracks],
        "buses": [{"name": "reverb", "inserts": [REVERB]}],
        "master": {"inserts": [{"type": "compressor", **MASTER_COMPRESSOR}]},
        "outputs": {"mix": {"file": "mix.wav", "bit_depth": 24}},
    }
    if stems:
        session["outputs"]["stems"] = {"of": "tracks"}
    path = os.path.join(WORK, f"bench-{workload.label}{'-stems' if stems else ''}.json")
    with open(path, "w") as stream:
        json.dump(session, stream, indent=1)
    return path


def out_dir(workload, tool_name):
    return os.path.join(WORK, "out", workload.label, re.sub(r"[^a-z0-9]+", "-", tool_name.lower()).strip("-"))


def pan_gains(track):
    """Left and right gains of mixdown's -3 dB law: constant power for mono, a balance for stereo."""
    level = 10 ** (track.gain_db / 20)
    if track.channels == 1:
        angle = (track.pan + 1) * math.pi / 4
        return level * math.cos(angle), level * math.sin(angle)
    return level * (1 - max(track.pan, 0)), level * (1 + min(track.pan, 0))


def mixdown_tool(workload, jobs, stems):
    name = f"mixdown -j {jobs}" + (" +stems" if stems else "")
    directory = out_dir(workload, name)
    argv = [MIXDOWN, "render", write_session(workload, stems), "-o", directory, "--quiet", "-j", str(jobs)]
    if not stems:
        argv.append("--mix-only")
    return Tool(name, "mixdown", argv, os.path.join(directory, "mix.wav"),
                [os.path.join(directory, "stems")] if stems else [], stems)


def ffmpeg_tool(workload):
    directory = out_dir(workload, "ffmpeg")
    inputs, chains = [], []
    for index, track in enumerate(workload.tracks):
        inputs += ["-i", track.path]
        left, right = pan_gains(track)
        pan = (f"pan=stereo|c0={left:.9f}*c0|c1={right:.9f}*c0" if track.channels == 1
               else f"pan=stereo|c0={left:.9f}*c0|c1={right:.9f}*c1")
        highpass, low_peak, high_peak, shelf = EQ_BANDS
        chains.append(
            f"[{index}]highpass=f={highpass['freq_hz']}:p=2:t=q:w=0.707,"
            f"equalizer=f={low_peak['freq_hz']}:t=q:w={low_peak['q']}:g={low_peak['gain_db']},"
            f"equalizer=f={high_peak['freq_hz']}:t=q:w={high_peak['q']}:g={high_peak['gain_db']},"
            f"highshelf=f={shelf['freq_hz']}:t=q:w={shelf['q']}:g={shelf['gain_db']},"
            f"{ffmpeg_compressor(TRACK_COMPRESSOR)},{pan},asplit[main{index}][send{index}]")
    count = len(workload.tracks)
    sends = "".join(f"[send{index}]" for index in range(count))
    mains = "".join(f"[main{index}]" for index in range(count))
    delays = "|".join(str(20 + 19 * tap) for tap in range(10))
    decays = "|".join(f"{0.45 * 0.8 ** tap:.3f}" for tap in range(10))
    chains.append(f"{sends}amix=inputs={count}:normalize=0,volume={SEND_DB}dB,"
                  f"aecho=in_gain=0:out_gain=1:delays={delays}:decays={decays}[reverb]")
    chains.append(f"{mains}[reverb]amix=inputs={count + 1}:normalize=0,{ffmpeg_compressor(MASTER_COMPRESSOR)}[mix]")
    mix = os.path.join(directory, "mix.wav")
    argv = (["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + inputs +
            ["-filter_complex", ";".join(chains), "-map", "[mix]", "-t", f"{workload.seconds:g}",
             "-c:a", "pcm_s24le", mix])
    return Tool("ffmpeg", "peer", argv, mix)


def ffmpeg_compressor(settings):
    return (f"acompressor=threshold={settings['threshold_db']}dB:ratio={settings['ratio']}:"
            f"attack={settings['attack_ms']}:release={settings['release_ms']}:knee=1:detection=peak:link=maximum")


def sox_compand(settings):
    # Above the threshold the output rises 1/ratio dB per dB, up to 0 dBFS in; a 0.01 dB knee, nearly hard.
    threshold = settings["threshold_db"]
    return (f"compand {settings['attack_ms'] / 1000:g},{settings['release_ms'] / 1000:g} "
            f"0.01:{threshold},{threshold},0,{threshold - threshold / settings['ratio']:g}")


def sox_tool(workload):
    """A shell script: per track `sox | tee` into two named pipes, a reverb process on the sends, the master mix.

    SoX opens the inputs of -m from the last to the first, so the master lists the reverb pipe first: it then
    opens it after every track pipe, when the reverb process (which opens its output after all its inputs) is
    ready. --buffer 2048 keeps the data each process holds below a pipe's 64 KiB, or the pipes deadlock."""
    directory = out_dir(workload, "sox")
    mix = os.path.join(directory, "mix.wav")
    highpass, low_peak, high_peak, shelf = EQ_BANDS
    effects = (f"highpass {highpass['freq_hz']} 0.707q equalizer {low_peak['freq_hz']} {low_peak['q']}q "
               f"{low_peak['gain_db']} equalizer {high_peak['freq_hz']} {high_peak['q']}q {high_peak['gain_db']} "
               f"treble {shelf['gain_db']} {shelf['freq_hz']} {shelf['q']}q {sox_compand(TRACK_COMPRESSOR)}")
    lines = ["set -eu", 'pipes=$(mktemp -d)', "trap 'rm -rf \"$pipes\"' EXIT"]
    for index, track in enumerate(workload.tracks):
        left, right = pan_gains(track)
        remix = f"remix 1v{left:.9f} 1v{right:.9f}" if track.channels == 1 else f"remix 1v{left:.9f} 2v{right:.9f}"
        lines.append(f'mkfifo "$pipes/main{index}" "$pipes/send{index}"')
        lines.append(f'sox -q {track.path} -t sox - {effects} {remix} | tee "$pipes/send{index}" > "$pipes/main{index}" &')
    count = len(workload.tracks)
    sends = " ".join(f'-v 1 -t sox "$pipes/send{index}"' for index in range(count))
    mains = " ".join(f'-v 1 -t sox "$pipes/main{index}"' for index in range(count))
    lines.append('mkfifo "$pipes/reverb"')
    lines.append(f'sox -q --buffer 2048 -m {sends} -t sox "$pipes/reverb" vol {SEND_DB}dB reverb -w 50 50 60 100 20 &')
    lines.append(f'sox -q --buffer 2048 -D -m -v 1 -t sox "$pipes/reverb" {mains} -b 24 {mix} '
                 f'{sox_compand(MASTER_COMPRESSOR)} trim 0 {workload.seconds:g}')
    lines.append("wait")
    script = os.path.join(WORK, f"sox-{workload.label}.sh")
    with open(script, "w") as stream:
        stream.write("\n".join(lines) + "\n")
    return Tool("sox", "peer", ["bash", script], mix)


def ecasound_tool(workload):
    """One chainsetup. Loop devices (-o:loop,ID then -i:loop,ID) carry a signal from chains to chains; chains that
    write to one loop are summed (-z:mixmode,sum). Per track: highpass -> the three other bands in series (each a
    dry and a filtered chain) -> compressor, fader, pan -> a loop read by the master and by the send. Loop IDs must
    be numbers, and every chain writing to a loop must be named in one -o."""
    directory = out_dir(workload, "ecasound")
    mix = os.path.join(directory, "mix.wav")
    master_loop, reverb_loop = 1, 2
    argv = ["ecasound", "-q", "-C", "-x", "-z:mixmode,sum"]
    mains, sends = [], []
    for index, track in enumerate(workload.tracks):
        def loop(stage):
            return 100 + 10 * index + stage
        highpass, low_peak, high_peak, shelf = EQ_BANDS
        # The track's own loops keep its channel count; the pan makes it stereo.
        argv += [f"-f:f32_le,{track.channels},{RATE}", f"-a:t{index}", f"-i:{track.path}",
                 f"-efh:{highpass['freq_hz']}", f"-o:loop,{loop(1)}"]
        argv += ecasound_band(f"t{index}low", loop(1), loop(2), low_peak)
        argv += ecasound_band(f"t{index}high", loop(2), loop(3), high_peak)
        argv += ecasound_band(f"t{index}shelf", loop(3), loop(4), shelf)
        left, right = pan_gains(track)
        argv += [f"-a:t{index}strip", f"-i:loop,{loop(4)}", "-eca:69,0.1,0.5,0.5"]
        if track.channels == 1:
            argv.append("-chcopy:1,2")
        argv += [f"-eac:{100 * left:.6f},1", f"-eac:{100 * right:.6f},2", f"-f:f32_le,2,{RATE}", f"-o:loop,{loop(5)}"]
        argv += [f"-a:t{index}main,t{index}send", f"-i:loop,{loop(5)}", f"-a:t{index}send", f"-eadb:{SEND_DB}"]
        mains.append(f"t{index}main")
        sends.append(f"t{index}send")
    argv += [f"-f:f32_le,2,{RATE}", "-a:" + ",".join(sends), f"-o:loop,{reverb_loop}",
             "-a:reverb", f"-i:loop,{reverb_loop}", "-ete:10,50,100",
             "-a:" + ",".join(mains + ["reverb"]), f"-o:loop,{master_loop}",
             "-a:master", f"-i:loop,{master_loop}", "-eca:69,0.2,0.5,0.5",
             f"-f:s24_le,2,{RATE}", f"-o:{mix}", f"-t:{workload.seconds:g}"]
    return Tool("ecasound", "peer", argv, mix)


def ecasound_band(name, source, target, band):
    """An EQ band as dry + (g - 1) x filter: for a bandpass of Q' = q sqrt(g) that is the analog RBJ peak of gain g."""
    gain = 10 ** (band["gain_db"] / 20)
    if band["type"] == "peak":
        width_hz = band["freq_hz"] / (band["q"] * math.sqrt(gain))
        effect = f"-efb:{band['freq_hz']},{width_hz:.4f}"
    else:  # high_shelf
        effect = f"-efh:{band['freq_hz']}"
    dry, wet = f"{name}dry", f"{name}wet"
    return [f"-a:{dry},{wet}", f"-i:loop,{source}", f"-a:{wet}", effect, f"-ea:{100 * (gain - 1):.6f}",
            f"-a:{dry},{wet}", f"-o:loop,{target}"]


def floor_tools(workload, with_stems):
    files = [track.path for track in workload.tracks]
    arguments = [value for track in workload.tracks for value in (track.path, f"{track.gain_db:g}", f"{track.pan:g}")]
    tools = [Tool("floor: cat inputs", "floor", ["cat"] + files, "")]
    variants = [("floor: read+pan+sum", [], False), ("floor: + biquad", ["--biquad"], False)]
    if with_stems:
        variants.append(("floor: + biquad + stems", ["--biquad"], True))
    for name, options, stems in variants:
        directory = out_dir(workload, name)
        stem_dir = os.path.join(directory, "stems")
        mix = os.path.join(directory, "mix.wav")
        tools.append(Tool(name, "floor", [FLOOR] + options + (["--stems", stem_dir] if stems else []) + [mix] + arguments,
                          mix, [stem_dir] if stems else [], stems))
    return tools


# ---------------------------------------------------------------------------------------------------------------
# Measuring


def measure(tool, seconds, timeout_s):
    """Runs the tool once from a clean output folder; wall time, CPU time and peak RSS of it and its descendants.

    CPU time comes from os.wait4 on the child. Peak RSS cannot: a child forked from this Python process is charged
    the parent's resident pages (about 25 MB) when it execs, so ru_maxrss would never read below that. GNU time,
    a small process, runs the tool and reports the tool's own ru_maxrss (from its wait4)."""
    for directory in [os.path.dirname(tool.mix)] + tool.scratch:
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
            os.makedirs(directory)
    rss_file = os.path.join(WORK, "last-rss.txt")
    load = os.getloadavg()[0]
    with open(os.path.join(WORK, "last-stderr.txt"), "w+") as errors:
        start = time.perf_counter()
        process = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rss_file] + tool.argv, cwd=WORK,
                                   stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        # A stuck tool (a pipe deadlock) is killed with its whole process group; the run counts as failed.
        timer = threading.Timer(timeout_s, kill_group, [process.pid])
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().strip().splitlines()
    note = ""
    if wall >= timeout_s:
        note = f"killed after {timeout_s:.0f} s"
    elif process.returncode != 0:
        note = f"exit {process.returncode}" + (f": {message[-1][:120]}" if message else "")
    elif tool.mix:
        note = check_length(tool.mix, seconds)
    for directory in tool.scratch:
        shutil.rmtree(directory, ignore_errors=True)
    os.sync()  # the next run must not pay for this one's writeback
    with open(rss_file) as stream:
        # The last word, after "Command exited with non-zero status N" on failure; nothing when it was killed.
        words = stream.read().split()
    rss_kb = int(words[-1]) if words else 0
    return Measure(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024, process.returncode == 0, note, load)


def kill_group(group_id):
    try:
        os.killpg(group_id, signal.SIGKILL)
    except ProcessLookupError:  # it ended as the timer fired
        pass


def check_length(path, seconds):
    """The mix must be 24-bit stereo of the workload's length (the header is a few dozen bytes)."""
    if not os.path.exists(path):
        return "no mix written"
    written_s = os.path.getsize(path) / (6 * RATE)
    return "" if abs(written_s - seconds) < 0.05 else f"mix is {written_s:.3f} s, not {seconds:g} s"


def run_rounds(workload, tools, runs):
    """Round-robin: each round runs every tool once, starting one tool later than the round before."""
    audio_s = workload.seconds
    timeout_s = 60 + audio_s * len(workload.tracks) / 16
    results = {tool.name: [] for tool in tools}
    warm_cache(workload)
    for round_index in range(runs):
        order = tools[round_index % len(tools):] + tools[:round_index % len(tools)]
        for tool in order:
            result = measure(tool, audio_s, timeout_s)
            results[tool.name].append(result)
            status = "" if result.ok and not result.note else f"  ({result.note})"
            log(f"{workload.label} round {round_index + 1}/{runs}: {tool.name:<26}{result.wall_s:8.2f} s{status}")
    return results


def warm_cache(workload):
    for track in workload.tracks:
        with open(os.path.join(WORK, track.path), "rb") as stream:
            while stream.read(1 << 24):
                pass


def rerender_walls(tool, workload, runs):
    """Up to date (issue 20): after one full render of the stems session into its folder, the wall time of
    re-rendering it unchanged, and with one track's gain changed (a new value each run: always a change)."""
    folder = os.path.dirname(tool.mix)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    warm_cache(workload)

    def timed(extra):
        start = time.perf_counter()
        subprocess.run(tool.argv + extra, cwd=WORK, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    full = timed([])
    unchanged = [timed([]) for _ in range(runs)]
    changed = [timed(["--set", f"tracks.0.gain_db={-1 - run / 10:.1f}"]) for run in range(runs)]
    shutil.rmtree(folder, ignore_errors=True)
    return {"full_s": full, "unchanged_s": statistics.median(unchanged), "one_track_changed_s": statistics.median(changed)}


def median_of(measures):
    """Medians over the successful runs (None when every run failed), with every distinct problem seen."""
    good = [m for m in measures if m.ok]
    median = {"runs_ok": len(good), "notes": sorted({m.note for m in measures if m.note})}
    for key in ("wall_s", "cpu_s", "rss_mb"):
        median[key] = statistics.median(getattr(m, key) for m in good) if good else None
    return median


# ---------------------------------------------------------------------------------------------------------------
# Report


def print_table(workload, tools, results, medians, reference, stems_reference):
    loads = [m.load for measures in results.values() for m in measures]
    print()
    print(f"== {workload.title}; median of {RUNS} run{'s' if RUNS > 1 else ''}; "
          f"load average {min(loads):.1f}-{max(loads):.1f} on {CORES} cores at the starts of the runs")
    print(f"{'tool':<26}{'wall s':>9}{'CPU s':>9}{'RSS MB':>9}{'x realtime':>12}{'vs mixdown':>12}  notes")
    for tool in tools:
        median = medians[tool.name]
        if median["wall_s"] is None:
            print(f"{tool.name:<26}{'failed':>9}  {'; '.join(median['notes'])}")
            continue
        base = medians.get(stems_reference if tool.stems else reference)
        ratio = f"{median['wall_s'] / base['wall_s']:.2f}" if base and base["wall_s"] else "-"
        print(f"{tool.name:<26}{median['wall_s']:9.2f}{median['cpu_s']:9.2f}{median['rss_mb']:9.1f}"
              f"{workload.seconds / median['wall_s']:12.1f}{ratio:>12}  {'; '.join(median['notes'])}")
    def wall(name):
        return medians[name]["wall_s"] if name in medians else None

    if wall(reference) is None:
        return
    peers = [f"{tool.name} {wall(tool.name) / wall(reference):.2f}"
             for tool in tools if tool.kind == "peer" and wall(tool.name)]
    floors = [f"{tool.name[7:]} {wall(reference) / wall(tool.name):.1f}"
              for tool in tools if tool.kind == "floor" and not tool.stems and wall(tool.name)]
    print(f"peers: peer wall / {reference} wall (above 1: mixdown is faster): " + ", ".join(peers))
    print(f"floors: {reference} wall / floor wall (times the bare work): " + ", ".join(floors))
    stems_floor = next((tool.name for tool in tools if tool.kind == "floor" and tool.stems), None)
    if wall(stems_reference) and stems_floor and wall(stems_floor):
        print(f"stems: {stems_reference} wall / {stems_floor[7:]} wall: {wall(stems_reference) / wall(stems_floor):.1f}")
    if wall("mixdown -j 1") and wall("mixdown -j 2"):
        speedup = wall("mixdown -j 1") / wall("mixdown -j 2")
        print(f"threads: -j 2 is {speedup:.2f}x as fast as -j 1 (issue 7's target: >= 1.8x)"
              f"{'' if speedup >= 1.8 else ' -- below target'}")


def main():
    started = time.perf_counter()
    missing = [tool for tool in ("sox", "ffmpeg", "ecasound") if shutil.which(tool) is None]
    missing += [path for path in (MIXDOWN, CORPUS_GENERATOR, FLOOR, GNU_TIME) if not os.access(path, os.X_OK)]
    if missing:
        sys.exit("bench: missing " + ", ".join(missing) + " (`make bench` installs the peers and builds the rest)")
    os.makedirs(WORK, exist_ok=True)
    ensure_corpus(64, SECONDS)
    ensure_corpus(64, LONG_SECONDS)
    generated = time.perf_counter()

    mix_jobs = CORES
    reference, stems_reference = f"mixdown -j {mix_jobs}", f"mixdown -j {mix_jobs} +stems"
    report = {"machine": {"cores": CORES, "platform": platform.platform(), "load_at_start": os.getloadavg()},
              "settings": {"seconds": SECONDS, "long_seconds": LONG_SECONDS, "runs": RUNS, "rate": RATE},
              "peer_limits": PEER_LIMITS, "workloads": []}
    print(f"mixdown bench: {CORES} cores, load {os.getloadavg()[0]:.2f} at start; session per track: EQ (4 bands), "
          f"compressor, fader, pan, post-fader send to a reverb bus; master compressor; 24-bit stereo WAV at 48 kHz")
    print("wall and CPU (user+sys of the tool and its children) in seconds, RSS = peak of the largest process; "
          "vs mixdown = tool wall / mixdown wall (mix+stems rows against mixdown +stems)")

    tables = []
    for track_count in (16, 64):
        workload = Workload(f"{track_count}x{SECONDS:g}", make_tracks(track_count, SECONDS), SECONDS)
        # The big session also measures threads and stems; on 16 tracks they would only repeat it, for 2 minutes.
        big = track_count == 64
        tools = ([mixdown_tool(workload, jobs, False) for jobs in (sorted({1, 2, CORES}) if big else [CORES])] +
                 ([mixdown_tool(workload, mix_jobs, True)] if big else []) +
                 [ffmpeg_tool(workload), sox_tool(workload), ecasound_tool(workload)] + floor_tools(workload, big))
        results = run_rounds(workload, tools, RUNS)
        medians = {name: median_of(measures) for name, measures in results.items()}
        tables.append((workload, tools, results, medians))
        report["workloads"].append({
            "label": workload.label, "tracks": len(workload.tracks), "seconds": workload.seconds,
            "stereo_tracks": sum(track.channels == 2 for track in workload.tracks),
            "tools": [{"name": tool.name, "kind": tool.kind, "command": tool.argv,
                       "runs": [vars(m) for m in results[tool.name]], "median": medians[tool.name]} for tool in tools]})

    # Memory: the same session five times as long, mixdown alone, once.
    long_workload = Workload(f"64x{LONG_SECONDS:g}", make_tracks(64, LONG_SECONDS), LONG_SECONDS)
    long_tool = mixdown_tool(long_workload, mix_jobs, False)
    warm_cache(long_workload)
    long_run = measure(long_tool, LONG_SECONDS, 60 + LONG_SECONDS * 4)
    report["memory"] = {"workload": long_workload.label, "run": vars(long_run)}

    # Up to date: the 64-track stems session rendered again into its own folder.
    big_workload, big_tools = tables[-1][0], tables[-1][1]
    stems_tool = next(tool for tool in big_tools if tool.name == stems_reference)
    rerender = rerender_walls(stems_tool, big_workload, RUNS)
    report["up_to_date"] = rerender

    for table in tables:
        print_table(*table, reference, stems_reference)

    print()
    print(f"== up to date: {stems_reference}, {big_workload.label}, into the folder it filled (medians of {RUNS}): "
          f"full render {rerender['full_s']:.2f} s; again unchanged {rerender['unchanged_s']:.3f} s "
          f"({100 * rerender['unchanged_s'] / rerender['full_s']:.1f}% of it, target < 5%); one track's gain changed "
          f"{rerender['one_track_changed_s']:.2f} s ({100 * rerender['one_track_changed_s'] / rerender['full_s']:.0f}%: "
          f"the mix and that stem written, 63 stems kept)")

    short = tables[-1][3][reference]
    print()
    if long_run.ok and short["rss_mb"]:
        print(f"== memory: {reference}, 64 tracks: peak RSS {short['rss_mb']:.1f} MB at {SECONDS:g} s, "
              f"{long_run.rss_mb:.1f} MB at {LONG_SECONDS:g} s (x{long_run.rss_mb / short['rss_mb']:.2f}); "
              f"the {LONG_SECONDS:g} s render took {long_run.wall_s:.1f} s wall "
              f"({LONG_SECONDS / long_run.wall_s:.1f}x realtime){'; ' + long_run.note if long_run.note else ''}")
    else:
        print(f"== memory: the {LONG_SECONDS:g} s render failed: {long_run.note}")

    print()
    print("== what the peers could not express")
    for peer, limits in PEER_LIMITS.items():
        print(f"{peer}:")
        for limit in limits:
            print(f"  - {limit}")
    print("Stems: only mixdown and the floor write them (the peers render the mix).")

    with open(os.path.join(WORK, "results.json"), "w") as stream:
        json.dump(report, stream, indent=1)
    print(f"\nresults: {os.path.relpath(os.path.join(WORK, 'results.json'), ROOT)}; the measurements took "
          f"{(time.perf_counter() - generated) / 60:.1f} min, generating the corpus {(generated - started) / 60:.1f} min")
    print()
    print("== convolution: a 10 s stereo IR over 3 min of stereo audio at 48 kHz, one core (target >= 20x realtime)")
    sys.stdout.flush()
    subprocess.run([os.path.join(BUILD, "convolution_speed")], check=True)


if __name__ == "__main__":
    main()
