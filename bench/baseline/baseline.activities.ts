export function createBaselineActivities() {
  return {
    async noop(step: number): Promise<number> {
      return step;
    },
  };
}
