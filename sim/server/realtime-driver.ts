// Moves the virtual clock with wall time: every tickMs of real time, tickMs × speed of market
// time. Speed 0 pauses; tests use no driver and step the clock through the admin API.
import type { Simulator } from "../engine/simulator";

export class RealtimeDriver {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sim: Simulator,
    private currentSpeed: number,
    private readonly tickMs = 250,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.currentSpeed > 0) this.sim.advance(Math.round(this.tickMs * this.currentSpeed));
    }, this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  speed(): number {
    return this.currentSpeed;
  }

  setSpeed(speed: number): void {
    this.currentSpeed = speed;
  }
}
