#!/usr/bin/env python3
"""Turns the Survived/NoCoverage mutants of a Stryker mutation.json into hand-sample entries (old/new line text) that
hand-sample.py can re-apply to the current sources. Usage: python3 build-tools/survivors-to-sample.py reports/mutation/<scope>/mutation.json <jest args...> > sample.json"""
import json, sys
report = json.load(open(sys.argv[1]))
tests = sys.argv[2:]
out = []
for file, data in report['files'].items():
    lines = data['source'].split('\n')
    for m in data['mutants']:
        if m['status'] not in ('Survived', 'NoCoverage'): continue
        s, e = m['location']['start'], m['location']['end']
        if s['line'] != e['line']:
            first = '\n'.join(lines[s['line'] - 1:e['line']])
            prefix = lines[s['line'] - 1][:s['column'] - 1]
            suffix = lines[e['line'] - 1][e['column'] - 1:]
            out.append({'id': f"{file}:{s['line']}:{s['column']}", 'file': file, 'old': first,
                        'new': prefix + m['replacement'] + suffix, 'what': m['mutatorName'], 'tests': tests})
            continue
        line = lines[s['line'] - 1]
        new = line[:s['column'] - 1] + m['replacement'] + line[e['column'] - 1:]
        out.append({'id': f"{file}:{s['line']}:{s['column']}", 'file': file, 'old': line, 'new': new, 'what': m['mutatorName'], 'tests': tests})
json.dump(out, sys.stdout, indent=1)
