/** App shell; the map arrives with the map issue. */
export function App() {
  return (
    <main>
      <h1>tractmix</h1>
      <p>Where neighbourhoods are economically mixed, where that mix is stable, and where it is shifting.</p>
    </main>
  );
}
