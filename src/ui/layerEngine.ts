/**
 * What the layers need beyond the first map (geometry, file readers, map layers), loaded only when
 * a dataset is shown, so that the tracts' first paint never waits for it (useLayers.ts).
 */
export { areaChange } from '../core/areas';
export { areaYear, countLayers, setupAreas } from '../data/layerFigures';
export { readAreaLayer, areaLayerFields } from '../data/boundaries';
export { readPointLayer, pointLayerColumns } from '../data/points';
export { AreasLayer } from '../map/areasLayer';
export { PointsLayer } from '../map/pointsLayer';
export { loadBundleLayers } from './bundleLayers';
export { readBundleLayers } from '../data/layerFiles';

export type LayerEngine = typeof import('./layerEngine');
