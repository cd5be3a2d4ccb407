#!/usr/bin/env node
// Renders the Marketplace icon, media/icon.png (128 × 128), from the activity-bar glyph media/icon.svg: the
// glyph in white on a rounded square of the gallery banner's colour, drawn by headless Chromium (playwright-core).
// Usage: node scripts/render-icon.mjs   (browser: $TOKENSCOPE_CHROMIUM, default /usr/bin/chromium)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const glyph = fs.readFileSync(path.join(root, 'media/icon.svg'), 'utf8');
const size = 128;
const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(glyph)?.[1];
const stroke = /stroke-width="([\d.]+)"/.exec(glyph)?.[1];
if (!inner || !stroke)
  throw new Error(
    'media/icon.svg: expected a single <svg> element with a stroke-width; update scripts/render-icon.mjs to match the new glyph',
  );
const background = pkg.galleryBanner?.color ?? '#1b3a5c';
// The 24-unit glyph scaled 4× into the middle 96 px, leaving a 16 px margin.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="24" fill="${background}"/>
  <g transform="translate(16 16) scale(4)" fill="none" stroke="#ffffff" stroke-width="${stroke}" stroke-linecap="round" stroke-linejoin="round">${inner}</g>
</svg>`;

const browser = await chromium.launch({ executablePath: process.env.TOKENSCOPE_CHROMIUM || '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const out = path.join(root, 'media/icon.png');
  await page.locator('svg').screenshot({ path: out, omitBackground: true });
  console.log(`render-icon: wrote ${path.relative(root, out)} (${size}×${size}, ${fs.statSync(out).size} bytes)`);
} finally {
  await browser.close();
}
