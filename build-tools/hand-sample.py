#!/usr/bin/env python3
"""Runs a hand sample of plausible mistakes (docs/mutation.md): each one applied alone as an exact text replacement
that must match once, its `build` run if it has one, then `jest --ci --bail <tests>`, then the file restored (and
rebuilt). Prints one line per mistake: id, caught or SURVIVED, jest's summary, the failing tests.

Usage: python3 build-tools/hand-sample.py docs/hand-samples/<sample>.json [id ...]
"""
import json
import os
import re
import subprocess
import sys

root = os.environ.get('HAND_SAMPLE_ROOT', os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sample = json.load(open(sys.argv[1]))
only = set(sys.argv[2:])


def run(command, **options):
    return subprocess.run(command, cwd=root, capture_output=True, text=True, **options)


for mistake in sample:
    if only and mistake['id'] not in only:
        continue
    path = os.path.join(root, mistake['file'])
    source = open(path).read()
    matches = source.count(mistake['old'])
    if matches != 1:
        print(f"{mistake['id']}: BAD PATTERN ({matches} matches)", flush=True)
        continue
    open(path, 'w').write(source.replace(mistake['old'], mistake['new']))
    try:
        if mistake.get('build'):
            run(mistake['build'], shell=True, timeout=900)
        result = run(['scripts/bootstrap.sh', '--', 'npx', 'jest', '--coverage=false', '--ci', '--bail', *mistake['tests']], timeout=1800)
        output = re.sub(r'\x1b\[[0-9;]*m', '', result.stdout + result.stderr)
        failed = sorted({name for name in re.findall(r'● (.+)', output) if name.strip() != 'Console'})
        summary = re.findall(r'Tests:.*', output)
        status = 'caught' if result.returncode != 0 else 'SURVIVED'
        print(f"{mistake['id']}: {status} | {summary[-1] if summary else '?'} | {'; '.join(failed)[:400]}", flush=True)
    finally:
        open(path, 'w').write(source)
        if mistake.get('build'):
            run(mistake['build'], shell=True, timeout=900)
