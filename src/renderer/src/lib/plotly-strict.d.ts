/**
 * plotly.js-strict-dist-min ships no type declarations. It is the same library and API as
 * plotly.js-dist-min (its CSP-safe build), so it takes that package's types.
 */
declare module 'plotly.js-strict-dist-min' {
  import Plotly from 'plotly.js-dist-min';
  export * from 'plotly.js-dist-min';
  export default Plotly;
}
