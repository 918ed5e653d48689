/**
 * The web consoles (console/, built by Vite into console/dist) served by the API process under
 * /console/: hashed assets cached for a year, every other path under /console/ answered with the
 * page (the consoles route in the browser), `/` redirected there. A strict Content-Security-Policy:
 * scripts, styles and requests only from this origin (nothing from a CDN); QR codes are inline SVG.
 * When the console was not built, /console/ says how to build it (503).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { PROJECT_ROOT } from '../config';

export const CONSOLE_PATH = '/console/';
export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'console', 'dist');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const headers: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

export function consoleRouter(distDir = CONSOLE_DIST): Router {
  const r = Router();
  r.get('/', (_req, res) => res.redirect(302, CONSOLE_PATH));
  r.get(/^\/console$/, (_req, res) => res.redirect(301, CONSOLE_PATH));
  r.use(CONSOLE_PATH, headers);
  r.use(`${CONSOLE_PATH}assets`, express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false, index: false }));
  r.use(CONSOLE_PATH, express.static(distDir, { index: false, maxAge: 0 }));
  r.get(/^\/console\/.*/, (_req, res) => {
    const page = path.join(distDir, 'index.html');
    if (!fs.existsSync(page)) {
      res.status(503).type('text/plain').send('The console is not built: run `npm run build:console` (npm start and npm test build it when missing).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page);
  });
  return r;
}
