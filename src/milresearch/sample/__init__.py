"""The synthetic sample: seeded generators of survey and content deliveries."""
