#!/usr/bin/env python3
"""Turns the Survived/NoCoverage mutants of a Stryker report into hand-sample entries (the mutated lines' text before
and after) that build-tools/hand-sample.py re-applies to the current sources.
Usage: python3 build-tools/survivors-to-sample.py reports/mutation/<scope>/mutation.json <jest args...> > sample.json"""
import json
import sys

report = json.load(open(sys.argv[1]))
tests = sys.argv[2:]
entries = []
for file, data in report['files'].items():
    lines = data['source'].split('\n')
    for mutant in data['mutants']:
        if mutant['status'] not in ('Survived', 'NoCoverage'):
            continue
        start, end = mutant['location']['start'], mutant['location']['end']
        prefix = lines[start['line'] - 1][:start['column'] - 1]
        suffix = lines[end['line'] - 1][end['column'] - 1:]
        entries.append({
            'id': f"{file}:{start['line']}:{start['column']}", 'file': file, 'what': mutant['mutatorName'], 'tests': tests,
            'old': '\n'.join(lines[start['line'] - 1:end['line']]), 'new': prefix + mutant['replacement'] + suffix,
        })
json.dump(entries, sys.stdout, indent=1)
