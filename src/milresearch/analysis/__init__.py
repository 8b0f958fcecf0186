"""Pure analysis: design-based statistics, MIL measures, circulation, topics, classifier."""
