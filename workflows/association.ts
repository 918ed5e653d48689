// association workflows: filled in by their issue.
export {};
