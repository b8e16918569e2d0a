"""Figures: matplotlib plots of transcribed tables, panels and analyses, in one house style."""
