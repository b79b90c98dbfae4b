/**
 * Styles of the user's layers (issue 12) that the legend, the Layers box and the URL share with
 * the map layers (areasLayer.ts, pointsLayer.ts); kept apart so that reading them loads no
 * geometry code.
 */

/** off: not drawn; outline: outlines and names over the tract fill; fill: the areas coloured by their own figures. */
export type AreaMode = 'off' | 'outline' | 'fill';
export const AREA_MODES: readonly AreaMode[] = ['off', 'outline', 'fill'];

/** Change-view flags of an area, drawn as its outline colour (the same colours as the tract flags, FLAG_STYLES). */
export const AREA_FLAG_COLORS = { stable_mixed: '#00441b', income_upgrading: '#000000', transitional: '#c51b7d' } as const;

/**
 * Category colours: Okabe & Ito (2008) "Color Universal Design" palette, distinguishable with the
 * common colour-vision deficiencies, without its yellow (unreadable over the light fills); after
 * eight categories the colours repeat, so the legend and the hover name say the category.
 */
export const CATEGORY_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D31'] as const;

/** One category of one point layer: `layer.category` is its key (URL, toggles). */
export interface PointCategory {
  readonly layer: string;
  readonly category: string;
  /** Index into CATEGORY_COLORS (mod its length). */
  readonly colorIndex: number;
}

export function categoryKey(layer: string, category: string): string {
  return `${layer}.${category}`;
}

export function categoryColor(colorIndex: number): string {
  return CATEGORY_COLORS[colorIndex % CATEGORY_COLORS.length];
}
