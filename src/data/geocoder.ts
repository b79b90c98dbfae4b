/**
 * Address and place search online, through Nominatim (OpenStreetMap's geocoder), which answers
 * browsers directly (CORS). The Census Bureau's geocoder would return the tract itself, but it sends
 * no CORS header, so a page cannot read its answers without a proxy.
 *
 * Nominatim's usage policy (operations.osmfoundation.org/policies/nominatim): at most one request
 * per second, no search-as-you-type (tractmix asks only when the user presses Enter or picks "search
 * online"), identify the application (the browser sends the page as Referer), show OSM's
 * attribution. `?geocoder=URL` points at another Nominatim-compatible server (a self-hosted one,
 * or the tests' local double).
 */
export const NOMINATIM_URL = 'https://nominatim.openstreetmap.org/search';
export const GEOCODER_ATTRIBUTION = 'Search by Nominatim, © OpenStreetMap contributors';
const MIN_INTERVAL_MS = 1000;

export interface GeocodeResult {
  readonly label: string;
  readonly lng: number;
  readonly lat: number;
  /** [west, south, east, north] */
  readonly bbox: [number, number, number, number] | null;
}

/** Nominatim's jsonv2 answer → results (lat/lon are strings; boundingbox is [south, north, west, east]). */
export function readNominatim(answer: unknown): GeocodeResult[] {
  if (!Array.isArray(answer)) throw new Error('the geocoder answered something other than a list of places');
  return answer
    .map((r: { display_name?: string; lat?: string; lon?: string; boundingbox?: string[] }) => {
      const lat = Number(r.lat);
      const lng = Number(r.lon);
      const b = r.boundingbox?.map(Number);
      return {
        label: String(r.display_name ?? `${r.lat}, ${r.lon}`),
        lng,
        lat,
        bbox: b && b.length === 4 && b.every(Number.isFinite) ? ([b[2], b[0], b[3], b[1]] as [number, number, number, number]) : null,
      };
    })
    .filter((r) => Number.isFinite(r.lat) && Number.isFinite(r.lng));
}

let last = 0;

export async function geocode(query: string, opts: { endpoint?: string | null; signal?: AbortSignal } = {}): Promise<GeocodeResult[]> {
  const wait = last + MIN_INTERVAL_MS - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  last = Date.now();
  const url = new URL(opts.endpoint || NOMINATIM_URL, window.location.href);
  url.searchParams.set('q', query);
  url.searchParams.set('format', 'jsonv2');
  url.searchParams.set('countrycodes', 'us');
  url.searchParams.set('limit', '5');
  let response: Response;
  try {
    response = await fetch(url, { signal: opts.signal, credentials: 'omit' });
  } catch {
    throw new Error('the address search is not reachable (offline?): tracts, numbers and counties of the loaded data can still be found');
  }
  if (!response.ok) throw new Error(`the address search answered ${response.status}`);
  return readNominatim(await response.json());
}
