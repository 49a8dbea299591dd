#!/usr/bin/env python3
"""Evaluates every PromQL expression of the Grafana dashboards against a Prometheus (default
http://127.0.0.1:9090) and prints which fail, which are empty and which return data. Grafana variables
are replaced by match-all regexes. Exit code 1 if any expression is not valid PromQL."""
import glob
import json
import os
import re
import sys
import urllib.parse
import urllib.request

PROM = sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:9090'
DASHBOARDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'grafana', 'dashboards')
def walk(n, out):
    if isinstance(n, dict):
        for k, v in n.items():
            if k == 'expr' and isinstance(v, str): out.append(v)
            else: walk(v, out)
    elif isinstance(n, list):
        for x in n: walk(x, out)
bad = empty = ok = 0
for f in sorted(glob.glob(os.path.join(DASHBOARDS, '*.json'))):
    exprs = []; walk(json.load(open(f)), exprs)
    for e in exprs:
        q = e
        q = re.sub(r'\$__rate_interval|\$__interval', '1m', q)
        q = re.sub(r'=~"\$\w+"', '=~".*"', q); q = re.sub(r'="\$\w+"', '=~".*"', q)
        q = re.sub(r'\$\w+', '.*', q)
        url = PROM + '/api/v1/query?' + urllib.parse.urlencode({'query': q})
        try:
            r = json.load(urllib.request.urlopen(url))
        except Exception as ex:
            print('ERROR', f.split('/')[-1], q, ex); bad += 1; continue
        if r['status'] != 'success': print('FAIL', q, r); bad += 1
        elif not r['data']['result']: print('EMPTY', f.split('/')[-1], q); empty += 1
        else: ok += 1
print('ok', ok, 'empty', empty, 'bad', bad)
sys.exit(1 if bad else 0)
