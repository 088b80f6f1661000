#!/usr/bin/env python3
"""Writes a SCORM 1.2 package of MQTT Lab widgets (scripts/scorm.sh is the command).

The package holds imsmanifest.xml, a launch page (index.html, launch.js, launch.css)
that embeds the chosen widgets and reports the knowledge checks' results to the LMS,
and, unless --base names a hosted copy, the built site (dist/) with only the chosen
widgets' bundles, so that the package works in an LMS that reaches nothing else.
The widget list is checked against widgets.json (generated from the app's registry).
"""
import argparse
import hashlib
import html
import json
import os
import sys
import zipfile
from urllib.parse import urlencode

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), '..', '..'))
HERE = os.path.dirname(os.path.realpath(__file__))
WIDGETS_JSON = os.path.join(ROOT, 'integrations/quarto/_extensions/mqtt-lab/widgets.json')


def fail(message):
    print(f'scripts/scorm.sh: {message}', file=sys.stderr)
    sys.exit(2)


def main():
    ap = argparse.ArgumentParser(prog='scripts/scorm.sh', description=__doc__.splitlines()[0])
    ap.add_argument('--widgets', default='exercises',
                    help='comma-separated widget slugs, in page order (default: exercises); '
                         'a slug may carry parameters: backoff?base=1&cap=60')
    ap.add_argument('--title', default='MQTT Lab', help='the package\'s title in the LMS')
    ap.add_argument('--base', help='address of a hosted MQTT Lab (https://your.site/widgets/mqtt/); '
                                   'default: the built site goes into the package')
    ap.add_argument('--dist', default=os.path.join(ROOT, 'dist'), help='the built site (default: dist/)')
    ap.add_argument('--out', default='mqtt-lab-scorm.zip', help='the zip to write')
    args = ap.parse_args()

    with open(WIDGETS_JSON, encoding='utf-8') as f:
        registry = json.load(f)
    known = {w['slug']: w for w in registry['widgets']}
    chosen = []
    for entry in [w.strip() for w in args.widgets.split(',') if w.strip()]:
        slug, _, query = entry.partition('?')
        if slug not in known:
            fail(f'no widget "{slug}" in --widgets; the widgets are {", ".join(known)}')
        params = [tuple(p.split('=', 1)) if '=' in p else (p, '') for p in query.split('&') if p]
        keys = {p['key'] for p in known[slug]['params']} | {p['key'] for p in registry['shell']}
        for key, _ in params:
            if key not in keys:
                fail(f'widget "{slug}" has no parameter "{key}"; its parameters are '
                     f'{", ".join(p["key"] for p in known[slug]["params"])}, and theme')
        if any(c[0] == slug for c in chosen):
            fail(f'widget "{slug}" is listed twice in --widgets')
        chosen.append((slug, params))
    if not chosen:
        fail('--widgets names no widget')

    bundle = not args.base
    files = {}  # path in the zip -> bytes
    if bundle:
        if not os.path.isfile(os.path.join(args.dist, 'index.html')):
            fail(f'no built site in {args.dist}: run scripts/build.sh, or give --base')
        slugs = {s for s, _ in chosen}
        for dirpath, dirnames, filenames in os.walk(args.dist):
            rel = os.path.relpath(dirpath, args.dist)
            parts = rel.split(os.sep)
            # Only the chosen widgets' bundles (and not the gallery's).
            if len(parts) >= 2 and parts[0] == 'w' and parts[1] not in slugs:
                dirnames[:] = []
                continue
            for name in filenames:
                # An LMS serves the package's files as they are: the precompressed
                # copies (NAME.br, NAME.gz) would only make it larger.
                if name.endswith(('.br', '.gz')):
                    continue
                path = os.path.join(dirpath, name)
                arc = 'widgets/' + os.path.relpath(path, args.dist).replace(os.sep, '/')
                with open(path, 'rb') as f:
                    files[arc] = f.read()
        for slug in slugs:
            if not any(p.startswith(f'widgets/w/{slug}/') for p in files):
                fail(f'{args.dist} has no bundle for "{slug}" (w/{slug}/): build it first')
        base = 'widgets/'
    else:
        base = args.base if args.base.endswith('/') else args.base + '/'

    exercises_tabs = []
    if any(s == 'exercises' for s, _ in chosen):
        tab = next(p for p in known['exercises']['params'] if p['key'] == 'tab')
        exercises_tabs = tab['options']

    frames = []
    for slug, params in chosen:
        src = base + '?' + urlencode([('w', slug), *params, ('embed', '1')])
        frames.append(f'<iframe src="{html.escape(src)}" title="{html.escape(known[slug]["title"])} (MQTT Lab)" '
                      f'data-slug="{slug}" style="width:100%;height:{known[slug]["frame_height"]}px;border:0"></iframe>')
    config = json.dumps({'widgets': [s for s, _ in chosen], 'tabs': exercises_tabs}).replace('<', '\\u003c')
    page = f'''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(args.title)}</title>
<link rel="stylesheet" href="launch.css">
</head>
<body>
<main>
<h1>{html.escape(args.title)}</h1>
<p id="mqtt-lab-status" role="status"></p>
{chr(10).join(frames)}
</main>
<script type="application/json" id="mqtt-lab-scorm">{config}</script>
<script src="{html.escape(base)}public/embed.js" async></script>
<script src="launch.js"></script>
</body>
</html>
'''
    files['index.html'] = page.encode('utf-8')
    for name in ('launch.js', 'launch.css'):
        with open(os.path.join(HERE, name), 'rb') as f:
            files[name] = f.read()

    ident = 'mqtt-lab-' + hashlib.sha256(json.dumps([args.title, chosen]).encode()).hexdigest()[:12]
    listed = '\n'.join(f'      <file href="{html.escape(p)}"/>' for p in sorted(files))
    title = html.escape(args.title)
    manifest = f'''<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{ident}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="{ident}-org">
    <organization identifier="{ident}-org">
      <title>{title}</title>
      <item identifier="{ident}-item" identifierref="{ident}-sco" isvisible="true">
        <title>{title}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="{ident}-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
{listed}
    </resource>
  </resources>
</manifest>
'''
    files = {'imsmanifest.xml': manifest.encode('utf-8'), **files}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with zipfile.ZipFile(args.out, 'w', zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            z.writestr(path, data)
    size = os.path.getsize(args.out)
    print(f'wrote {args.out}: SCORM 1.2, {len(files)} files, {size // 1024} KB; widgets: '
          f'{", ".join(s for s, _ in chosen)}')


if __name__ == '__main__':
    main()
