/** PNG files the app saves (Save image), read back in node for the tests' pixel counts. */
import { PNG } from 'pngjs';

/** The RGBA bytes of a rectangle of a PNG, row by row (pngjs decodes the file as written: no colour management). */
export function pngRegion(bytes: Buffer, x: number, y: number, width: number, height: number): Uint8Array {
  const png = PNG.sync.read(bytes);
  if (x < 0 || y < 0 || x + width > png.width || y + height > png.height) throw new Error(`region ${x},${y} ${width}×${height} is outside the ${png.width}×${png.height} image`);
  const out = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) out.set(png.data.subarray(((y + row) * png.width + x) * 4, ((y + row) * png.width + x + width) * 4), row * width * 4);
  return out;
}

/** How many pixels of `rgba` have an RGB within `tolerance` (sum of the three channels' differences) of `rgb`. */
export function countColor(rgba: Uint8Array, rgb: readonly number[], tolerance = 0): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (Math.abs(rgba[i] - rgb[0]) + Math.abs(rgba[i + 1] - rgb[1]) + Math.abs(rgba[i + 2] - rgb[2]) <= tolerance) n++;
  return n;
}
