"""Text of provisions: tokens and diffs, redlines, anchors, passages, merging, notes."""
