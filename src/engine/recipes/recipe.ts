// Recipes are data shared with every host: their schema lives in the contract.
export { Recipe, RecipeStep } from '../../contract/recipes';
