/**
 * The search box: tracts (GEOID, number, name) and counties of the loaded data as you type, offline;
 * addresses and places online on Enter (geocoder.ts). Enter on a tract opens its panel and flies
 * there; on a county fits the map to it; on an address opens the tract that contains it.
 */
import { memo, useId, useMemo, useRef, useState } from 'react';
import { searchLoaded, type SearchCounty, type SearchResult, type SearchTract } from '../data/search';
import { geocode, GEOCODER_ATTRIBUTION, type GeocodeResult } from '../data/geocoder';

type Option = SearchResult | { kind: 'online'; query: string } | { kind: 'place'; place: GeocodeResult };

export const SearchBox = memo(function SearchBox(props: {
  /** The loaded tracts, asked for when something is searched (made on first use by the caller). */
  tracts: () => readonly SearchTract[];
  counties: readonly SearchCounty[];
  geocoder: string | null;
  onTract: (geoid: string) => void;
  onCounty: (code: string) => void;
  /** A geocoded place: returns a message when no loaded tract contains it. */
  onPlace: (place: GeocodeResult) => string | null;
}) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [places, setPlaces] = useState<GeocodeResult[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);

  const local = useMemo(() => (text.trim() ? searchLoaded(text, props.tracts(), props.counties) : []), [text, props.tracts, props.counties]);
  const options: Option[] = places
    ? places.map((place) => ({ kind: 'place', place }))
    : [...local, ...(/[a-z]/i.test(text) && text.trim().length > 2 ? [{ kind: 'online' as const, query: text.trim() }] : [])];

  const searchOnline = async (query: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const found = await geocode(query, { endpoint: props.geocoder });
      if (found.length === 0) setMessage(`No address or place found for “${query}”.`);
      if (found.length === 1) {
        choose({ kind: 'place', place: found[0] });
        return;
      }
      setPlaces(found);
      setActive(0);
      setOpen(true);
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const choose = (o: Option | undefined) => {
    if (!o) {
      if (text.trim()) void searchOnline(text.trim());
      return;
    }
    if (o.kind === 'online') {
      void searchOnline(o.query);
      return;
    }
    setOpen(false);
    setPlaces(null);
    if (o.kind === 'tract') {
      setText(o.label);
      props.onTract(o.geoid);
    } else if (o.kind === 'county') {
      setText(o.label);
      props.onCounty(o.code);
    } else {
      setText(o.place.label.split(',').slice(0, 3).join(','));
      setMessage(props.onPlace(o.place));
    }
  };

  const labelOf = (o: Option) =>
    o.kind === 'tract' ? o.label : o.kind === 'county' ? `${o.label} — county` : o.kind === 'online' ? `Search addresses and places online: “${o.query}”` : o.place.label;

  return (
    <div className="search" role="search">
      <input
        ref={input}
        type="search"
        role="searchbox"
        aria-label="Find a tract (GEOID, number, name), a county, or an address"
        placeholder="Find a tract, county or address"
        value={text}
        data-testid="search"
        aria-controls={listId}
        aria-expanded={open && options.length > 0}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setPlaces(null);
          setMessage(null);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(options.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            choose(options[active]);
          } else if (e.key === 'Escape') {
            setOpen(false);
          }
        }}
      />
      {busy && <span className="search-busy" role="status">Searching…</span>}
      {open && options.length > 0 && (
        <ul className="search-results" role="listbox" id={listId} data-testid="search-results">
          {options.map((o, i) => (
            <li
              key={i}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              data-kind={o.kind}
              data-geoid={o.kind === 'tract' ? o.geoid : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(o);
              }}
            >
              {labelOf(o)}
            </li>
          ))}
          {places && <li className="attribution" aria-hidden="true">{GEOCODER_ATTRIBUTION}</li>}
        </ul>
      )}
      {message && (
        <p className="search-message" role="status" data-testid="search-message">
          {message}
        </p>
      )}
    </div>
  );
});
