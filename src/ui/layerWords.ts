/** Words the layer views share (kept apart from the geometry code, so they load with the page). */
export const TILED_RULE_NOTE_SHORT =
  'This bundle draws its tracts as vector tiles, so the app has no tract polygons to apportion: each tract counts whole in the area holding its representative point (the centroid rule).';
