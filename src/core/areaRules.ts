/** The rules that count tracts into the user's areas (src/core/areas.ts), in words for people and exports. */
export type AreaRule = 'share' | 'centroid';
export const AREA_RULES: readonly AreaRule[] = ['share', 'centroid'];

export const AREA_RULE_WORDS: Readonly<Record<AreaRule, string>> = {
  share: 'tracts apportioned by the share of their area inside each area (households assumed spread evenly within a tract)',
  centroid: 'whole tracts whose centroid lies inside the area',
};
