import { describe, expect, it } from 'vitest';
import type { DeviceProfile, RecipeInfo } from '../../../src/contract';
import { recipeCatalog } from '../../../src/engine/recipes/catalog';
import { chooseRecipe } from '../../../src/engine/recipes/choose-recipe';
import { ruleBasedPolicy } from '../../../src/engine/recipes/goal-policy';
import { BUILTIN_PROFILES } from '../../../src/engine/devices/builtin-profiles';
import { at } from '../../helpers/at';

const catalog = recipeCatalog();
const recipe = (name: string, needsData = false): RecipeInfo => ({ name, builtin: true, steps: [], needsData, keepsLayersInFloat: false });
const board = (int8DotProduct: boolean): DeviceProfile => ({ ...at(BUILTIN_PROFILES, 0), id: 'board', name: 'The board', int8DotProduct });

describe('goal policy (which recipe serves a goal)', () => {
  it('lists the goals and marks the recipes that need example data from their passes', () => {
    expect(catalog.goals.map((goal) => goal.id)).toEqual(['smaller', 'faster', 'accuracy']);
    const needsData = catalog.recipes.filter((entry) => entry.needsData).map((entry) => entry.name);
    expect(needsData).toEqual(['int8-static', 'mixed']);
    expect(catalog.passes.filter((pass) => pass.needsData).map((pass) => pass.name)).toEqual(['quantize-int8-static', 'quantize-mixed']);
    expect(catalog.recipes.find((entry) => entry.name === 'graph')?.keepsLayersInFloat).toBe(false);
    expect(catalog.recipes.find((entry) => entry.name === 'int8-dynamic')?.keepsLayersInFloat).toBe(true);
  });

  it('picks calibrated int8 with data and weight-only int8 without, for a smaller file', async () => {
    expect((await chooseRecipe({ goal: 'smaller', hasData: true }, catalog, undefined)).recipe.name).toBe('int8-static');
    const noData = await chooseRecipe({ goal: 'smaller', hasData: false }, catalog, undefined);
    expect(noData.recipe.name).toBe('int8-dynamic');
    expect(noData.note).toMatch(/^Without example data/);
    expect(noData.suggested).toBe(true);
  });

  it('keeps the answers exactly for accuracy, and says what a device lacks for speed', async () => {
    expect((await chooseRecipe({ goal: 'accuracy', hasData: true }, catalog, undefined)).recipe.name).toBe('graph');
    const slow = await chooseRecipe({ goal: 'faster', hasData: true }, catalog, board(false));
    expect(slow.recipe.name).toBe('int8-static');
    expect(slow.note).toContain('The board has no int8 dot-product instructions');
    expect((await chooseRecipe({ goal: 'faster', hasData: true }, catalog, board(true))).note).toContain('The board has int8 dot-product');
    expect((await chooseRecipe({ goal: 'faster', hasData: false }, catalog, undefined)).recipe.name).toBe('graph');
  });

  it('never picks a recipe that needs data without data, whatever the catalog holds', async () => {
    const onlyData = [recipe('int8-static', true), recipe('fp16')];
    expect((await ruleBasedPolicy.choose({ goal: 'faster', hasData: false }, onlyData))?.recipe.name).toBe('fp16');
    expect(await ruleBasedPolicy.choose({ goal: 'faster', hasData: false }, [recipe('int8-static', true)])).toBeUndefined();
    expect((await ruleBasedPolicy.choose({ goal: 'smaller', hasData: false }, [recipe('mine')]))?.recipe.name).toBe('mine');
  });

  it("takes the user's own pick, and refuses a recipe that does not exist", async () => {
    const own = await chooseRecipe({ goal: 'smaller', hasData: false, recipe: 'fp16' }, catalog, undefined);
    expect(own).toMatchObject({ suggested: false, recipe: { name: 'fp16' } });
    expect(own.note).toMatch(/^Your choice instead of Lithe’s suggestion/);
    await expect(chooseRecipe({ goal: 'smaller', hasData: false, recipe: 'nope' }, catalog, undefined)).rejects.toThrow(
      /no built-in recipe/,
    );
  });
});
