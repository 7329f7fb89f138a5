"""eiou_lab: the research apparatus of mmdet-eiou (studies, analyses, benchmarks, simulation,
synthetic data). Installed beside the add-on: ``pip install -e lab`` from the repository."""
from setuptools import find_packages, setup

setup(
    name='mmdet-eiou-lab',
    version='0.2.0',
    description='Studies, analyses and benchmarks of the mmdet-eiou add-on',
    license='Apache-2.0',
    packages=find_packages(include=['eiou_lab', 'eiou_lab.*']),
    python_requires='>=3.9',
    install_requires=['mmdet-eiou', 'numpy', 'matplotlib', 'pycocotools'],
    zip_safe=False,
)
