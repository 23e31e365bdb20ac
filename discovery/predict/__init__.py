"""Like prediction (Qt-free): how many likes a post will get, which picture to post, which hashtags, when.
Its commands (evaluate-likes, train-likes, predict-likes, best-time) live in discovery/cli/likes.py.

Modules, each importable alone:
    pixels      picture features (Pillow + numpy), robust to odd files; ImageError for bad ones
    table       posts as one frame, from a Store or a CSV in the gvsi posts.csv shape
    features    features from earlier posts only, hashtag popularity, the per-world pixel cache
    model       the gradient-boosting model with its 80% interval; save, load, retrain_due
    evaluate    the honest protocol (last 3 posts per author are the test set) and its metrics
    predictor   what the Predict tab calls: Predictor.predict, train_world, ensure_model, demo_pick_gain
    hashtags    hashtag suggestions (HashtagIndex) and the best-time heatmap
"""

MAX_CANDIDATES = 8  # pictures per prediction (here so that `predict-likes --help` names it without numpy)
