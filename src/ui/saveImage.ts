/**
 * "Save image": a PNG of the map as it is, with a title, the legend of what is mapped, the sources
 * and the method line, for reports. The map's canvas is read inside a render callback, while its
 * drawing buffer still holds the frame (no preserveDrawingBuffer needed).
 */
import type { Map as MapLibre } from 'maplibre-gl';

export interface ImageLegend {
  title: string;
  /** Swatches (classes, transitions), or a ramp with its end labels. */
  swatches?: { color: string; label: string }[];
  ramp?: { stops: readonly [number, string][]; format: (v: number) => string };
}

export interface ImageText {
  title: string;
  subtitle: string;
  legend: ImageLegend;
  /** The user's layers shown on the map (areas, point categories), drawn in a second box. */
  layers?: readonly { shape: 'outline' | 'dashed' | 'dot'; color: string; label: string }[];
  sources: string;
  method: string;
}

function mapFrame(map: MapLibre): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    map.once('render', () => {
      const src = map.getCanvas();
      const copy = document.createElement('canvas');
      copy.width = src.width;
      copy.height = src.height;
      copy.getContext('2d')!.drawImage(src, 0, 0);
      resolve(copy);
    });
    map.triggerRepaint();
  });
}

function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function mapImage(map: MapLibre, text: ImageText): Promise<Blob> {
  const frame = await mapFrame(map);
  const ratio = frame.width / map.getCanvas().clientWidth || 1;
  const W = frame.width / ratio;
  const Hmap = frame.height / ratio;
  const scratch = document.createElement('canvas').getContext('2d')!;
  scratch.font = '12px sans-serif';
  const footer = [...wrap(scratch, text.sources, W - 24), ...wrap(scratch, text.method, W - 24)];
  const header = 52;
  const H = header + Hmap + 16 + footer.length * 16;
  const out = document.createElement('canvas');
  out.width = Math.round(W * ratio);
  out.height = Math.round(H * ratio);
  const ctx = out.getContext('2d')!;
  ctx.scale(ratio, ratio);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#1d2329';
  ctx.font = 'bold 17px sans-serif';
  ctx.fillText(text.title, 12, 22);
  ctx.font = '13px sans-serif';
  ctx.fillStyle = '#3b434b';
  ctx.fillText(text.subtitle, 12, 42);
  ctx.drawImage(frame, 0, header, W, Hmap);
  // Legend box, bottom right of the map.
  const lg = text.legend;
  const rows = lg.swatches?.length ?? 2;
  const boxW = 240;
  const boxH = 30 + rows * 18;
  const x0 = W - boxW - 12;
  const y0 = header + Hmap - boxH - 12;
  ctx.fillStyle = 'rgba(255,255,255,0.95)';
  ctx.fillRect(x0, y0, boxW, boxH);
  ctx.strokeStyle = '#d5d9de';
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, boxW, boxH);
  ctx.fillStyle = '#1d2329';
  ctx.font = 'bold 12px sans-serif';
  ctx.fillText(lg.title, x0 + 8, y0 + 18);
  ctx.font = '12px sans-serif';
  if (lg.swatches) {
    lg.swatches.forEach((s, i) => {
      ctx.fillStyle = s.color;
      ctx.fillRect(x0 + 8, y0 + 28 + i * 18, 12, 12);
      ctx.fillStyle = '#1d2329';
      ctx.fillText(s.label, x0 + 26, y0 + 38 + i * 18);
    });
  } else if (lg.ramp) {
    const { stops, format } = lg.ramp;
    const lo = stops[0][0];
    const hi = stops[stops.length - 1][0];
    const g = ctx.createLinearGradient(x0 + 8, 0, x0 + boxW - 8, 0);
    for (const [v, c] of stops) g.addColorStop((v - lo) / (hi - lo), c);
    ctx.fillStyle = g;
    ctx.fillRect(x0 + 8, y0 + 28, boxW - 16, 12);
    ctx.fillStyle = '#1d2329';
    ctx.fillText(format(lo), x0 + 8, y0 + 56);
    ctx.textAlign = 'right';
    ctx.fillText(format(hi), x0 + boxW - 8, y0 + 56);
    ctx.textAlign = 'left';
  }
  // The layers' box, bottom left of the map: area outlines and point categories, as the map's legend.
  const layers = text.layers ?? [];
  if (layers.length) {
    ctx.font = '12px sans-serif';
    const lw = Math.min(W / 2 - 24, 24 + Math.max(...layers.map((e) => ctx.measureText(e.label).width)) + 16);
    const lh = 10 + layers.length * 18;
    const lx = 12;
    const ly = header + Hmap - lh - 12;
    ctx.fillStyle = 'rgba(255,255,255,0.95)';
    ctx.fillRect(lx, ly, lw, lh);
    ctx.strokeStyle = '#d5d9de';
    ctx.strokeRect(lx + 0.5, ly + 0.5, lw, lh);
    layers.forEach((e, i) => {
      const y = ly + 8 + i * 18;
      if (e.shape === 'dot') {
        ctx.fillStyle = e.color;
        ctx.beginPath();
        ctx.arc(lx + 14, y + 6, 5, 0, 2 * Math.PI);
        ctx.fill();
      } else {
        ctx.strokeStyle = e.color;
        ctx.lineWidth = 2;
        ctx.setLineDash(e.shape === 'dashed' ? [3, 2] : []);
        ctx.strokeRect(lx + 7, y + 1, 15, 10);
        ctx.setLineDash([]);
        ctx.lineWidth = 1;
      }
      ctx.fillStyle = '#1d2329';
      ctx.fillText(e.label, lx + 28, y + 10, lw - 34);
    });
  }
  ctx.fillStyle = '#3b434b';
  ctx.font = '12px sans-serif';
  footer.forEach((l, i) => ctx.fillText(l, 12, header + Hmap + 16 + i * 16));
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the image could not be made'))), 'image/png'));
}
