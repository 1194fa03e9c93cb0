/** A forecast's mean with its 80% and 95% prediction intervals, one value per horizon. */
export interface Interval {
  readonly mean: number[];
  readonly lo80: number[];
  readonly hi80: number[];
  readonly lo95: number[];
  readonly hi95: number[];
}
