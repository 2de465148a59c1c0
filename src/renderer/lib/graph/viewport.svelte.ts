/** Pan and zoom of the graph view: a translation and a scale applied to the drawing. */
export class Viewport {
  x = $state(0);
  y = $state(0);
  scale = $state(1);
  static readonly MIN = 0.05;
  static readonly MAX = 4;

  /** Scales by `factor` around the point (`cx`, `cy`) of the view, which stays where it is. */
  zoomAt(factor: number, cx: number, cy: number): void {
    const next = Math.min(Viewport.MAX, Math.max(Viewport.MIN, this.scale * factor));
    const applied = next / this.scale;
    this.x = cx - (cx - this.x) * applied;
    this.y = cy - (cy - this.y) * applied;
    this.scale = next;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  /** Shows the whole drawing (`width` × `height`) in a view of `viewWidth` × `viewHeight`, never larger than 1:1. */
  fit(width: number, height: number, viewWidth: number, viewHeight: number): void {
    const scale = Math.min(1, Math.max(Viewport.MIN, Math.min(viewWidth / Math.max(1, width), viewHeight / Math.max(1, height))));
    this.scale = scale;
    this.x = (viewWidth - width * scale) / 2;
    this.y = Math.max(0, (viewHeight - height * scale) / 2);
  }

  /** Centres the point (`px`, `py`) of the drawing in the view, at a readable scale. */
  centreOn(px: number, py: number, viewWidth: number, viewHeight: number): void {
    this.scale = Math.max(this.scale, 0.8);
    this.x = viewWidth / 2 - px * this.scale;
    this.y = viewHeight / 2 - py * this.scale;
  }
}
