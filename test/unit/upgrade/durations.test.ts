import { describe, expect, it } from '@jest/globals';
import { expectedDuration, MAX_POLL_SECONDS, nextPollSeconds } from '../../../shared/upgrade/durations.ts';
import { fitsInWindow, secondsLeft, windowOf } from '../../../shared/upgrade/window.ts';

describe('waits sized to the stage', () => {
  const controlPlane = expectedDuration({ kind: 'control-plane', from: '1.32', to: '1.33' });

  it('waits the typical duration before the first poll, then growing fractions of it, up to a cap', () => {
    expect(nextPollSeconds(controlPlane, 0, 0)).toBe(1500);
    const overdue = [1, 2, 3, 4, 5].map((polls) => nextPollSeconds(controlPlane, 1500, polls));
    expect(overdue).toEqual([225, 360, 576, 900, MAX_POLL_SECONDS]);
    // Short stages never poll more often than once a minute.
    expect(nextPollSeconds(expectedDuration({ kind: 'addons', clusterVersion: '1.33', addons: [] }), 240, 1)).toBe(60);
  });

  it('sizes a node-group wave by its slowest group: setup plus one drain per batch of maxUnavailable', () => {
    const wave = expectedDuration({
      kind: 'nodegroups',
      clusterVersion: '1.33',
      wave: 'wave',
      nodegroups: [
        { name: 'a', from: '1.32', to: '1.33', customAmi: false, desiredSize: 2, maxUnavailable: 1 },
        { name: 'b', from: '1.32', to: '1.33', customAmi: false, desiredSize: 20, maxUnavailablePercentage: 25 },
      ],
    });
    expect(wave).toEqual({ typicalSeconds: (20 + 4 * 8) * 60, worstSeconds: 2 * (20 + 4 * 8) * 60 });
  });

  it('sizes an instance refresh by its slowest group: batches that keep 90 % in service, each a launch plus the warmup', () => {
    const change = { launchTemplate: { id: 'lt-1', name: 'lt' }, sourceVersion: '3', fromImage: 'ami-a', toImage: 'ami-b', templateCurrent: false, mixedInstances: false };
    const refresh = expectedDuration({
      kind: 'self-managed',
      clusterVersion: '1.33',
      groups: [
        // 4 instances: 10 % is less than one, so one at a time; 5 min warmup.
        { ...change, name: 'small', desiredCapacity: 4, warmupSeconds: 300, instanceWarmup: 300 },
        // 30 instances: 3 at a time, 10 batches of 3 + 1 min.
        { ...change, name: 'large', desiredCapacity: 30, warmupSeconds: 60 },
      ],
    });
    expect(refresh).toEqual({ typicalSeconds: (2 + 10 * (3 + 1)) * 60, worstSeconds: 2 * (2 + 10 * (3 + 1)) * 60 });
    expect(expectedDuration({ kind: 'self-managed', clusterVersion: '1.33', groups: [{ ...change, name: 'empty', desiredCapacity: 0, warmupSeconds: 300 }] })).toEqual({ typicalSeconds: 120, worstSeconds: 240 });
  });
});

describe('the maintenance window', () => {
  const window = windowOf(new Date('2026-03-08T02:00:00Z'), 240);

  it('closes after its duration', () => {
    expect(window).toEqual({ opensAt: '2026-03-08T02:00:00.000Z', closesAt: '2026-03-08T06:00:00.000Z' });
    expect(secondsLeft(window, new Date('2026-03-08T05:30:00Z'))).toBe(1800);
  });

  it('holds a stage only if its worst case ends before the window closes', () => {
    expect(fitsInWindow(window, new Date('2026-03-08T05:15:00Z'), 45 * 60)).toBe(true);
    expect(fitsInWindow(window, new Date('2026-03-08T05:15:01Z'), 45 * 60)).toBe(false);
  });
});
