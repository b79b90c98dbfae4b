/** "Copy link" (the URL already holds the view) and "Save image" (PNG with legend, title, sources, method line). */
import { memo, useState } from 'react';
import type { Map as MapLibre } from 'maplibre-gl';
import { mapImage, type ImageText } from './saveImage';

export const ShareButtons = memo(function ShareButtons({ map, imageText, fileName }: { map: () => MapLibre | null; imageText: () => ImageText | null; fileName: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const say = (text: string) => {
    setSaid(text);
    window.setTimeout(() => setSaid(null), 2500);
  };
  const copy = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      say('Link copied');
    } catch {
      // No clipboard (an insecure page, a refused permission): show the link to copy by hand.
      window.prompt('Copy this link:', url);
    }
  };
  const save = async () => {
    const m = map();
    const text = imageText();
    if (!m || !text) return;
    say('Making the image…');
    try {
      const blob = await mapImage(m, text);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${fileName}.png`;
      a.click();
      window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      say('Image saved');
    } catch (e) {
      say(`No image: ${(e as Error).message}`);
    }
  };
  return (
    <span className="share">
      <button onClick={() => void copy()} data-testid="copy-link">
        Copy link
      </button>
      <button onClick={() => void save()} data-testid="save-image">
        Save image
      </button>
      {said && (
        <span className="share-status" role="status">
          {said}
        </span>
      )}
    </span>
  );
});
