"""Reading raw deliveries: codebooks, file readers, ClaimReview, country names."""
