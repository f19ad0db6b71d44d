/** A maintenance window: when it opened, when it closes (ISO 8601). */
export interface UpgradeWindow {
  opensAt: string;
  closesAt: string;
}

export function windowOf(opensAt: Date, durationMinutes: number): UpgradeWindow {
  return { opensAt: opensAt.toISOString(), closesAt: new Date(opensAt.getTime() + durationMinutes * 60_000).toISOString() };
}

export function secondsLeft(window: UpgradeWindow, now: Date): number {
  return Math.floor((Date.parse(window.closesAt) - now.getTime()) / 1000);
}

/** A stage starts only if its worst case ends inside the window: once running, EKS updates cannot be paused or cancelled. */
export function fitsInWindow(window: UpgradeWindow, now: Date, worstSeconds: number): boolean {
  return secondsLeft(window, now) >= worstSeconds;
}
