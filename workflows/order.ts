// order workflows: filled in by their issue.
export {};
