import fs from 'node:fs/promises';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { getMimeType } from 'hono/utils/mime';

/**
 * The built client (dist/client). Hashed files under /assets/ are cached for a year; the
 * entry points (index.html, sw.js) are revalidated on every load so a deploy shows at once.
 * Extension-less paths (/, /b/<id>, other client routes) get index.html: the client routes.
 */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
const SHORT = 'public, max-age=3600';

export function staticRoutes(clientDir: string): Hono {
  const root = path.resolve(clientDir);
  const app = new Hono();

  app.get('*', async (c) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return notFound(c);
    }
    if (pathname.includes('\0')) return notFound(c);
    const file = path.resolve(root, `.${pathname}`);
    // path.resolve collapses '..': anything that ends up outside the client dir is refused.
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(c);
    const served = await sendFile(c, file, pathname);
    if (served) return served;
    const last = pathname.split('/').pop() ?? '';
    if (last.includes('.') || pathname.startsWith('/assets/')) return notFound(c);
    const index = await sendFile(c, path.join(root, 'index.html'), '/index.html');
    return index ?? c.json({ error: 'the client is not built (run npm start or npm run build)' }, 503);
  });

  return app;
}

async function sendFile(c: Context, file: string, pathname: string): Promise<Response | null> {
  let data: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    data = await fs.readFile(file);
  } catch {
    return null;
  }
  const name = path.basename(file);
  const cache = pathname.startsWith('/assets/') ? IMMUTABLE : name === 'index.html' || name === 'sw.js' ? NO_CACHE : SHORT;
  return c.body(new Uint8Array(data), 200, {
    'Content-Type': getMimeType(name) ?? 'application/octet-stream',
    'Cache-Control': cache,
    'X-Content-Type-Options': 'nosniff',
  });
}

function notFound(c: Context): Response {
  return c.json({ error: 'not found' }, 404);
}
