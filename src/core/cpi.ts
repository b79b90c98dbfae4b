/**
 * CPI-U annual averages (1982–84 = 100), US Bureau of Labor Statistics, series CUUR0000SA0,
 * 1970–2025. Public figures; the same table as `data/cpi-u.csv` in the shared data folder
 * (a test checks they agree). Used to move fixed-dollar cut points and medians between income
 * years (METHOD.md §3). The Census itself deflates with R-CPI-U-RS: callers may pass any index.
 */
export type PriceIndex = Readonly<Record<number, number>>;

export const CPI_U_ANNUAL: PriceIndex = {
  1970: 38.8,
  1971: 40.5,
  1972: 41.8,
  1973: 44.4,
  1974: 49.3,
  1975: 53.8,
  1976: 56.9,
  1977: 60.6,
  1978: 65.2,
  1979: 72.6,
  1980: 82.4,
  1981: 90.9,
  1982: 96.5,
  1983: 99.6,
  1984: 103.9,
  1985: 107.6,
  1986: 109.6,
  1987: 113.6,
  1988: 118.3,
  1989: 124.0,
  1990: 130.7,
  1991: 136.2,
  1992: 140.3,
  1993: 144.5,
  1994: 148.2,
  1995: 152.4,
  1996: 156.9,
  1997: 160.5,
  1998: 163.0,
  1999: 166.6,
  2000: 172.2,
  2001: 177.1,
  2002: 179.9,
  2003: 184.0,
  2004: 188.9,
  2005: 195.3,
  2006: 201.6,
  2007: 207.342,
  2008: 215.303,
  2009: 214.537,
  2010: 218.056,
  2011: 224.939,
  2012: 229.594,
  2013: 232.957,
  2014: 236.736,
  2015: 237.017,
  2016: 240.007,
  2017: 245.120,
  2018: 251.107,
  2019: 255.657,
  2020: 258.811,
  2021: 270.970,
  2022: 292.655,
  2023: 304.702,
  2024: 313.689,
  2025: 321.943,
};

export const CPI_U_SOURCE = 'CPI-U annual average, US BLS series CUUR0000SA0 (1982-84=100)';

/**
 * Factor that turns dollars of `fromYear` into dollars of `toYear` (index[to] / index[from]).
 * Throws when the index lacks either year, naming the years it has.
 */
export function priceFactor(fromYear: number, toYear: number, index: PriceIndex = CPI_U_ANNUAL): number {
  const from = index[fromYear];
  const to = index[toYear];
  if (from === undefined || to === undefined) {
    const years = Object.keys(index).map(Number);
    const missing = from === undefined ? fromYear : toYear;
    throw new RangeError(
      `the price index has no value for ${missing} (it covers ${Math.min(...years)}–${Math.max(...years)}); supply an index that includes it`,
    );
  }
  return to / from;
}
