// source-controller's artifact storage: a gzipped tarball of the checked-out tree per
// revision, served over HTTP on the controller's port 9090 at the artifact's path, with the
// sha256 digest the status advertises (fluxcd/pkg artifact/storage). Tarballs are built
// deterministically (fixed mtime, sorted paths) so the same commit always has the same digest.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** A ustar archive of regular files. */
export function tarball(files: Array<{ path: string; text: string }>): Buffer {
  const blocks: Buffer[] = [];
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const body = Buffer.from(f.text);
    blocks.push(header(f.path, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function header(path: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  // Long paths go in the ustar prefix field (up to 155 bytes before the last '/').
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  h.write(name, 0, 100);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write(prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

export interface StoredArtifact {
  bytes: Buffer;
  digest: string;
  size: number;
}

/** The artifact store, keyed by path (`gitrepository/<ns>/<name>/<sha>.tar.gz`), and its HTTP server. */
export class ArtifactStore {
  private readonly items = new Map<string, StoredArtifact>();
  private server: http.Server | undefined;

  put(path: string, files: Array<{ path: string; text: string }>): StoredArtifact {
    const bytes = gzipSync(tarball(files));
    const item = { bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
    this.items.set(path, item);
    return item;
  }

  get(path: string): StoredArtifact | undefined {
    return this.items.get(path.replace(/^\//, ''));
  }

  /** Starts serving on 127.0.0.1 (the port a port-forward to source-controller:9090 reaches). */
  async listen(): Promise<number> {
    if (!this.server) {
      this.server = http.createServer((req, res) => {
        const item = req.method === 'GET' ? this.get(new URL(req.url ?? '/', 'http://x').pathname) : undefined;
        if (!item) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/x-gzip', 'Content-Length': item.size }).end(item.bytes);
      });
      await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    }
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}
