/** The basemap switch (none / light / streets, or the style named in `?basemap=`) and its one quiet note. */
import { memo } from 'react';
import { BASEMAPS, type BasemapChoice } from '../map/basemap';
import type { BasemapStatus } from '../map/TractMap';

export const BasemapSwitch = memo(function BasemapSwitch({ value, onChange }: { value: BasemapChoice | null; onChange: (choice: BasemapChoice) => void }) {
  const current = value ?? 'light';
  const custom = current !== 'none' && !(current in BASEMAPS);
  return (
    <label className="basemap-switch">
      <span>Basemap</span>
      <select value={current} data-testid="basemap" onChange={(e) => onChange(e.target.value)}>
        <option value="none">None (offline)</option>
        {Object.entries(BASEMAPS).map(([k, b]) => (
          <option key={k} value={k}>
            {b.label}
          </option>
        ))}
        {custom && <option value={current}>Custom style</option>}
      </select>
    </label>
  );
});

/** One line, only when the basemap asked for is not drawn: the map is complete without it. */
export const BasemapNote = memo(function BasemapNote({ status }: { status: BasemapStatus }) {
  if (status.state !== 'failed') return null;
  return (
    <p className="basemap-note" role="status" data-testid="basemap-note" title={status.url ?? undefined}>
      Basemap not shown: {status.reason}. County outlines and names come from the data.
    </p>
  );
});
