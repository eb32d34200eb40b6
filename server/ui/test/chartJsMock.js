// Chart.js draws on a canvas, which jsdom lacks: the component tests map `chart.js` here
// (jest.config.js) and read what the components gave the chart (type, labels, datasets, options).

export class Chart {
  static registered = [];
  static instances = [];

  static register(...items) {
    Chart.registered.push(...items);
  }

  constructor(canvas, config) {
    this.canvas = canvas;
    this.config = config;
    this.data = config.data;
    this.options = config.options;
    this.destroyed = false;
    this.updates = 0;
    Chart.instances.push(this);
  }

  update() {
    this.updates += 1;
  }

  destroy() {
    this.destroyed = true;
  }
}

const part = (id) => Object.freeze({ id });
export const BarController = part('bar');
export const LineController = part('line');
export const BarElement = part('barElement');
export const LineElement = part('lineElement');
export const PointElement = part('pointElement');
export const CategoryScale = part('category');
export const LinearScale = part('linear');
export const Legend = part('legend');
export const Tooltip = part('tooltip');
