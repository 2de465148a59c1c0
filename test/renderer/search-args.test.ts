import { describe, expect, it } from 'vitest';
import { GoalId, SearchArgs, SearchGoal } from '../../src/contract';
import { SEARCH_GOAL, searchDevice } from '../../src/renderer/lib/optimize/search-goal';
import { budgetProblem, searchArgs } from '../../src/renderer/lib/search/search-args';

const answers = { goal: 'fastest' as const, deviceId: '', dataPath: '', labelsPath: '', normalize: '', budgetMinutes: 5 };

// Issue 14: the wizard's answers become a search (its default), as the Find the best page's do.
describe('search arguments from the wizard and the Find the best page', () => {
  it('maps every wizard goal to a search goal, and this computer to no target device', () => {
    expect(GoalId.options.map((goal) => SearchGoal.parse(SEARCH_GOAL[goal]))).toEqual(['smallest', 'fastest', 'accurate']);
    expect(searchDevice('this-machine')).toBe('');
    expect(searchDevice('raspberry-pi-4')).toBe('raspberry-pi-4');
  });

  it('builds arguments the contract accepts; labels and scaling only go with data', () => {
    const bare = searchArgs('/m/model.onnx', { ...answers, labelsPath: '/d/labels.txt', normalize: 'imagenet' });
    expect(bare).toEqual({ model: '/m/model.onnx', goal: 'fastest', budgetMinutes: 5 });
    const full = searchArgs('/m/model.onnx', {
      ...answers,
      goal: 'smallest',
      deviceId: 'cortex-m7-stm32h7',
      dataPath: ' "/d/images" ',
      labelsPath: '/d/labels.txt',
      normalize: 'imagenet',
      budgetMinutes: 2,
    });
    expect(SearchArgs.parse(full)).toMatchObject({
      deviceId: 'cortex-m7-stm32h7',
      data: '/d/images',
      labels: '/d/labels.txt',
      normalize: 'imagenet',
      budgetMinutes: 2,
      goal: 'smallest',
    });
  });

  it('says what is wrong with a time limit', () => {
    expect(budgetProblem(1)).toBeNull();
    expect(budgetProblem(0)).toMatch(/more than 0 minutes/);
    expect(budgetProblem(Number.NaN)).toMatch(/more than 0 minutes/);
    expect(budgetProblem(2000)).toMatch(/at most a day/);
  });
});
