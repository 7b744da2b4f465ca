/**
 * Colours: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies,
 * used for stages, series and compare arms alike. Lines also differ by dash where two series
 * share a chart, so colour is never the only cue.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#7f7f7f',
  black: '#000000',
} as const;

/** Colour per member stage (engine Stage order: newcomer, regular, core, advocate, churned, banned). */
export const STAGE_COLORS = [OKABE_ITO.skyBlue, OKABE_ITO.blue, OKABE_ITO.green, OKABE_ITO.orange, OKABE_ITO.grey, OKABE_ITO.black];
export const STAGE_LABELS = ['newcomer', 'regular', 'core', 'advocate', 'churned', 'banned'];
/** Troll-prone members are drawn in vermillion whatever their stage. */
export const TROLL_COLOR = OKABE_ITO.vermillion;
export const TOXIC_FLASH = OKABE_ITO.purple;

/** Colours of compare arms and chart series, in order. */
export const SERIES_COLORS = [OKABE_ITO.blue, OKABE_ITO.vermillion, OKABE_ITO.green, OKABE_ITO.orange, OKABE_ITO.purple, OKABE_ITO.skyBlue];
export const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/**
 * Policy-change and shock markers on the time axes: greys no series uses, told apart by dash
 * and shape, so a marker never reads as a line (nor as the toxic series, nor as a compare arm).
 */
export const MARKER_COLORS = { schedule: '#8a8a8a', shock: '#4d4d4d' } as const;
