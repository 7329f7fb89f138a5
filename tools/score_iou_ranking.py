"""How well a detector's scores rank its detections by IoU (Spearman), from dumped predictions.

    python tools/score_iou_ranking.py work_dirs/precision/ROW/seed0/predictions_val.pkl \\
        [more.pkl ...] data/precision/val.json

For each predictions file (``tools/test.py --out``, as ``tools/ablation.py`` writes them) it
prints Spearman's correlation between score and IoU over the detections that found an object
(IoU >= 0.5 with a ground truth of their class) and over all detections; see
eiou_lab.analysis.localisation.score_iou_ranking.
"""
import argparse
import pickle


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('predictions', nargs='+', help='predictions .pkl file(s)')
    parser.add_argument('ann_file', help='COCO json of the split they were scored on')
    args = parser.parse_args(argv)
    from eiou_lab.analysis.localisation import score_iou_ranking
    print('| predictions | rho (found) | rho (all) | found | detections |')
    print('|---|---:|---:|---:|---:|')
    for path in args.predictions:
        with open(path, 'rb') as f:
            stats = score_iou_ranking(pickle.load(f), args.ann_file)
        print(f'| {path} | {stats["rho_found"]:.3f} | {stats["rho_all"]:.3f} | '
              f'{stats["found"]} | {stats["detections"]} |')


if __name__ == '__main__':
    main()
