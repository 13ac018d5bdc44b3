#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium for the browser tests,
# Noto CJK so screenshots show Chinese, Node.js + npm for axe-core (the
# accessibility checker the browser tests inject, pinned in package-lock.json), and
# LibreOffice Writer (headless) to render the 申报书 .docx to PDF as a reader sees it.
# Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
# nginx: the forms tests put a real HTTPS reverse proxy in front of the app (tests/forms/proxy.py).
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# soffice --headless --convert-to pdf: tests/forms/test_shenbaoshu.py renders the 申报书 with it.
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
# 宋体/黑体 (named in the 申报书) resolve to Noto Serif/Sans CJK SC in renders.
fonts_conf=/etc/fonts/conf.d/64-zh-office-fonts.conf
if ! cmp -s scripts/fonts/64-zh-office-fonts.conf "$fonts_conf"; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO install -m 644 scripts/fonts/64-zh-office-fonts.conf "$fonts_conf"
  $SUDO fc-cache -f >/dev/null
fi
# npm packages of package-lock.json into node_modules/; re-run only when the lock changed.
stamp=node_modules/.lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
