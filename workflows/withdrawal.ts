// withdrawal workflows: filled in by their issue.
export {};
