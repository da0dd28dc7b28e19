//! Timeline printers: a text bar chart sized to the terminal, CSV, JSON, and a chart image (SVG or PNG)
//! drawn with plotters.

use std::io::{self, Write};
use std::path::Path;

use plotters::prelude::*;
use plotters::style::Color as _;

use super::wire::{TimelineWire, TIMELINE_COLUMNS, TIMELINE_SHARE_COLUMNS};
use super::{sanitize_for_terminal, Color, DIM_ON, OFF};
use crate::analysis::timeline::Count;
use crate::analysis::Timeline;
use crate::error::{Error, Result};

/// Colours of the series on a terminal, and the characters that tell them apart without colour.
const SERIES_ANSI: [&str; 6] = [
    "\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[31m",
];
const SERIES_GLYPHS: [char; 6] = ['#', '=', '*', '+', '@', '%'];
/// The same series colours for charts.
const SERIES_RGB: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// The span of a timeline as `first .. last` bucket labels.
fn span(t: &Timeline) -> Option<(String, String)> {
    let buckets = &t.series.first()?.buckets;
    Some((
        buckets.first()?.label.clone(),
        buckets.last()?.label.clone(),
    ))
}

/// A horizontal bar chart: one row per bucket, the series side by side, articles as bars with their
/// count, within `width` columns.
pub fn write_timeline_text(
    w: &mut dyn Write,
    t: &Timeline,
    width: usize,
    color: Color,
) -> io::Result<()> {
    let chosen = if t.by_chosen {
        " (chosen from the span)"
    } else {
        ""
    };
    let what = match (t.share, t.count) {
        (true, Count::Stories) => "Share of all stories",
        (true, Count::Articles) => "Share of all articles",
        (false, Count::Stories) => "Stories",
        (false, Count::Articles) => "Articles",
    };
    match span(t) {
        Some((a, b)) => writeln!(w, "{what} per {}{chosen}, {a} to {b}", t.by.name())?,
        None => writeln!(w, "No dated matches.")?,
    }
    let n = t.series.len().max(1);
    let legend: Vec<String> = t
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let query = sanitize_for_terminal(&s.query);
            match color {
                Color::Always => format!("{}█{OFF} {query}", SERIES_ANSI[i % 6]),
                Color::Never => format!("{} {query}", SERIES_GLYPHS[i % 6]),
            }
        })
        .collect();
    writeln!(w, "{}", legend.join("   "))?;
    let buckets = t.series.first().map(|s| s.buckets.len()).unwrap_or(0);
    let label_width = t
        .series
        .first()
        .and_then(|s| s.buckets.first())
        .map_or(4, |b| b.label.len());
    // What a bar shows: stories or articles, or their share of all in tenths of a percent.
    let amount = |b: &crate::analysis::Bucket| -> Option<u64> {
        if t.share {
            b.share(t.count).map(|s| (s * 1000.0).round() as u64)
        } else {
            Some(b.counted(t.count))
        }
    };
    let shown = |b: &crate::analysis::Bucket| -> String {
        match (t.share, amount(b)) {
            (true, Some(permille)) => format!("{}.{}%", permille / 10, permille % 10),
            (true, None) => "-".to_string(),
            (false, _) => b.counted(t.count).to_string(),
        }
    };
    let max = t
        .series
        .iter()
        .flat_map(|s| s.buckets.iter().filter_map(amount))
        .max()
        .unwrap_or(0);
    let digits = t
        .series
        .iter()
        .flat_map(|s| s.buckets.iter().map(|b| shown(b).chars().count()))
        .max()
        .unwrap_or(1);
    let column = (width.saturating_sub(label_width + 1) / n).max(digits + 3);
    let bar_room = column - digits - 2;
    for row in 0..buckets {
        let label = &t.series[0].buckets[row].label;
        let mut line = format!("{label:<label_width$} ");
        for (i, s) in t.series.iter().enumerate() {
            let bucket = &s.buckets[row];
            let count = amount(bucket).unwrap_or(0);
            let text = shown(bucket);
            let len = if max == 0 {
                0
            } else {
                (count as usize * bar_room).div_ceil(max as usize)
            };
            let bar: String = match color {
                Color::Always => "█".repeat(len),
                Color::Never => SERIES_GLYPHS[i % 6].to_string().repeat(len),
            };
            let cell = format!("{bar} {text}");
            let pad = column.saturating_sub(len + 1 + text.chars().count());
            match color {
                Color::Always => line.push_str(&format!(
                    "{}{cell}{OFF}{}",
                    SERIES_ANSI[i % 6],
                    " ".repeat(pad)
                )),
                Color::Never => line.push_str(&format!("{cell}{}", " ".repeat(pad))),
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    let undated: Vec<String> = t
        .series
        .iter()
        .map(|s| {
            let n = match t.count {
                Count::Stories => s.undated_stories,
                Count::Articles => s.undated_articles,
            };
            format!("{} {n}", sanitize_for_terminal(&s.query))
        })
        .collect();
    let line = format!(
        "undated {} (not in any bucket): {}",
        t.count.name(),
        undated.join(", ")
    );
    match color {
        Color::Always => writeln!(w, "{DIM_ON}{line}{OFF}"),
        Color::Never => writeln!(w, "{line}"),
    }
}

/// `bucket,series,articles,passages,stories` rows, bucket by bucket.
pub fn write_timeline_csv(w: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let rows = t.series.first().map(|s| s.buckets.len()).unwrap_or(0);
    let mut header = TIMELINE_COLUMNS.to_vec();
    if t.share {
        header.extend(TIMELINE_SHARE_COLUMNS);
    }
    // Written by hand: the serializer names no columns before the first row, and shares add two.
    let mut result = out.write_record(&header);
    for row in 0..rows {
        for s in &t.series {
            let b = &s.buckets[row];
            let mut cells = vec![
                b.label.clone(),
                super::csv::defuse(&s.query).into_owned(),
                b.articles.to_string(),
                b.passages.to_string(),
                b.stories.to_string(),
            ];
            if t.share {
                cells.push(b.all_articles.unwrap_or(0).to_string());
                cells.push(b.all_stories.unwrap_or(0).to_string());
                cells.push(b.share(t.count).map(|x| x.to_string()).unwrap_or_default());
            }
            result = result.and_then(|_| out.write_record(&cells));
        }
    }
    result.map_err(|e| io::Error::other(e.to_string()))?;
    out.flush()
}

/// `{"by", "series": [{"query", "buckets": [{"start", "end", "articles", "passages"}], "undated"}]}`.
pub fn write_timeline_json(w: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &TimelineWire::from(t))?;
    writeln!(w)
}

/// The image format of a chart, from the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotFormat {
    Svg,
    Png,
}

impl PlotFormat {
    pub fn from_path(path: &Path) -> Option<PlotFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "svg" => Some(PlotFormat::Svg),
            "png" => Some(PlotFormat::Png),
            _ => None,
        }
    }
}

const PLOT_SIZE: (u32, u32) = (1200, 600);

/// Draws the timeline as a line chart, one line per series, to an SVG or PNG file.
pub fn write_timeline_plot(path: &Path, format: PlotFormat, t: &Timeline) -> Result<()> {
    let failed = |reason: String| Error::Chart {
        path: path.to_path_buf(),
        reason,
    };
    match format {
        PlotFormat::Svg => draw(SVGBackend::new(path, PLOT_SIZE).into_drawing_area(), t)
            .map_err(|e| failed(e.to_string())),
        PlotFormat::Png => draw(BitMapBackend::new(path, PLOT_SIZE).into_drawing_area(), t)
            .map_err(|e| failed(e.to_string())),
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    t: &Timeline,
) -> std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let labels: Vec<String> = t
        .series
        .first()
        .map(|s| s.buckets.iter().map(|b| b.label.clone()).collect())
        .unwrap_or_default();
    let n = labels.len().max(1);
    // Stories or articles, or their share of all in percent (a bucket without any article has no
    // point).
    let value = |b: &crate::analysis::Bucket| -> Option<f64> {
        if t.share {
            b.share(t.count).map(|s| s * 100.0)
        } else {
            Some(b.counted(t.count) as f64)
        }
    };
    let max = t
        .series
        .iter()
        .flat_map(|s| s.buckets.iter().filter_map(value))
        .fold(0.0f64, f64::max)
        .max(if t.share { 0.1 } else { 1.0 });
    let what = match (t.share, t.count) {
        (true, Count::Stories) => "Share of stories",
        (true, Count::Articles) => "Share of articles",
        (false, Count::Stories) => "Stories",
        (false, Count::Articles) => "Articles",
    };
    let range = match span(t) {
        Some((a, b)) if a == b => format!(", {a}"),
        Some((a, b)) => format!(", {a} to {b}"),
        None => String::new(),
    };
    // Queries as typed (quoted ones keep their quotes, nothing is added); when they do not fit even
    // at a smaller size, the title names the span only and the legend names the queries.
    let queries: Vec<&str> = t.series.iter().map(|s| s.query.as_str()).collect();
    let full = format!(
        "{what} per {}{range}: {}",
        t.by.name(),
        queries.join(" vs ")
    );
    let short = format!("{what} per {}{range}", t.by.name());
    let room = f64::from(PLOT_SIZE.0) - 60.0;
    let fits = |text: &str, size: f64| {
        root.estimate_text_size(text, &("sans-serif", size).into_text_style(&root))
            .is_ok_and(|(w, _)| f64::from(w) <= room)
    };
    let (title, title_size) = [24.0, 20.0, 17.0]
        .iter()
        .find(|&&size| fits(&full, size))
        .map(|&size| (full.clone(), size))
        .unwrap_or((short, 24.0));
    // The legend sits in the top-right corner: the y axis runs high enough that no line reaches it.
    let legend_px = 22.0 * t.series.len() as f64 + 24.0;
    let plot_px = f64::from(PLOT_SIZE.1) - 150.0;
    let data_share = (1.0 - legend_px / plot_px - 0.04).clamp(0.3, 0.9);
    let y_top = max / data_share;
    let partial = t
        .series
        .first()
        .map(|s| s.buckets.iter().map(|b| b.partial).collect::<Vec<bool>>())
        .unwrap_or_default();
    let x_desc = if partial.iter().any(|&p| p) {
        format!(
            "{} (hollow points: partial buckets, only some of their days counted)",
            t.by.name()
        )
    } else {
        t.by.name().to_string()
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", title_size))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..y_top)?;
    let label_of = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        labels.get(i as usize).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .x_labels(n.min(12))
        .x_label_formatter(&label_of)
        .y_labels(10)
        .y_label_formatter(&|v: &f64| {
            if t.share {
                format!("{v:.1}%")
            } else if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                String::new()
            }
        })
        .light_line_style(RGBAColor(0, 0, 0, 0.0))
        .y_desc(match (t.share, t.count) {
            (true, Count::Stories) => "share of all stories",
            (true, Count::Articles) => "share of all articles",
            (false, Count::Stories) => "stories",
            (false, Count::Articles) => "articles",
        })
        .x_desc(x_desc)
        .label_style(("sans-serif", 14))
        .draw()?;
    for (i, s) in t.series.iter().enumerate() {
        let color = SERIES_RGB[i % SERIES_RGB.len()];
        let points: Vec<(f64, f64)> = s
            .buckets
            .iter()
            .enumerate()
            .filter_map(|(x, b)| value(b).map(|v| (x as f64, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(s.query.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
            });
        let few = points.len() <= 120;
        chart.draw_series(points.iter().enumerate().filter_map(|(x, &p)| {
            match partial.get(x).copied().unwrap_or(false) {
                true => Some(Circle::new(p, 5, color.stroke_width(2))),
                false if few => Some(Circle::new(p, 3, color.filled())),
                false => None,
            }
        }))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 16))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()
}
