// A synthetic stand-in for the four Fruit360 classes the fruit360 tutorial uses (Fruit360 cannot
// be downloaded here): OUT/<class>/<n>.jpg, 100x100 JPEG photos of one fruit on white. Each
// fruit is a shaded blob with its class's shape and colouring (apple: red with yellow streaks
// and a stem; lemon: yellow, pointed, pitted; mango: green to orange with a red blush;
// raspberry: crimson drupelets), a random size, position, rotation, light direction, exposure
// and texture, a specular highlight, a soft shadow and sensor noise.
//
//   make_fruit_images --out data/fruit --per-class 490 --seed 1
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <vector>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

enum Fruit { Apple, Lemon, Mango, Raspberry };
constexpr const char* fruit_names[] = {"apple", "lemon", "mango", "raspberry"};
constexpr double pi = std::numbers::pi;

struct Rgb {
  double r, g, b;
};

Rgb from_hsv(double h, double s, double v) {
  h = (h - std::floor(h)) * 6;
  const double f = h - std::floor(h), p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  switch (static_cast<int>(h) % 6) {
    case 0: return {v, t, p};
    case 1: return {q, v, p};
    case 2: return {p, v, t};
    case 3: return {p, q, v};
    case 4: return {t, p, v};
    default: return {v, p, q};
  }
}

// Smooth random texture in [0, 1]: values on a lattice of `cells` x `cells`, blended smoothly.
class Noise {
 public:
  Noise(tg::Generator& gen, int cells) : cells_(cells), values_((cells + 1) * (cells + 1)) {
    for (double& v : values_) v = gen.uniform();
  }
  double at(double x, double y) const {  // x, y in [0, 1]
    const double fx = std::clamp(x, 0.0, 1.0) * cells_, fy = std::clamp(y, 0.0, 1.0) * cells_;
    const int i = std::min(static_cast<int>(fx), cells_ - 1), j = std::min(static_cast<int>(fy), cells_ - 1);
    auto smooth = [](double t) { return t * t * (3 - 2 * t); };
    const double a = smooth(fx - i), b = smooth(fy - j);
    auto v = [&](int di, int dj) { return values_[(j + dj) * (cells_ + 1) + i + di]; };
    return (v(0, 0) * (1 - a) + v(1, 0) * a) * (1 - b) + (v(0, 1) * (1 - a) + v(1, 1) * a) * b;
  }

 private:
  int cells_;
  std::vector<double> values_;
};

// The outline's distance from the centre at angle phi, in units of the fruit's radius.
double outline(Fruit fruit, double phi, double bulge) {
  switch (fruit) {
    case Apple: return 1 + 0.05 * std::cos(2 * phi) - 0.09 * std::pow(std::max(0.0, -std::sin(phi)), 10);
    case Lemon: return 1 / std::hypot(std::cos(phi) / 1.3, std::sin(phi) / 0.85) + 0.12 * std::pow(std::abs(std::cos(phi)), 14);
    case Mango: return (1 + bulge * std::sin(phi)) / std::hypot(std::cos(phi) / 1.2, std::sin(phi) / 0.92);
    case Raspberry: return 0.9 * (1 + 0.1 * std::sin(phi)) + 0.025 * std::sin(14 * phi);
  }
  return 1;
}

// What varies from one fruit of a class to the next, besides place, light and texture.
struct Look {
  double size;  // the radius, as a fraction of the photo's side
  double a, b;  // apple: how red, the streaks' hue; lemon: hue, greener tips; mango: the ripening
                // direction, where the blush starts; raspberry: hue, brightness
};

Look random_look(Fruit fruit, tg::Generator& gen) {
  auto between = [&](double lo, double hi) { return lo + (hi - lo) * gen.uniform(); };
  switch (fruit) {
    case Apple: return {between(0.26, 0.38), between(0.2, 0.8), between(0.1, 0.2)};
    case Lemon: return {between(0.22, 0.3), between(0.13, 0.16), gen.uniform()};
    case Mango: return {between(0.24, 0.32), between(0, 2 * pi), between(0.6, 1.1)};
    case Raspberry: return {between(0.24, 0.34), between(0.93, 0.99), between(0.5, 0.68)};
  }
  return {};
}

// The colour of the fruit's surface at (u, v) in its own frame, scaled to its radius ([-1, 1]).
Rgb surface(Fruit fruit, double u, double v, const Noise& blotch, const Noise& fine, const Look& look) {
  const double n = blotch.at(0.5 + 0.45 * u, 0.5 + 0.45 * v), grain = fine.at(0.5 + 0.5 * u, 0.5 + 0.5 * v);
  switch (fruit) {
    case Apple: {  // red, with yellow-green streaks running from the stem
      const double streak = blotch.at(0.5 + 0.12 * u, 0.5 + 0.45 * v);
      const double red = std::clamp((look.a + 0.8 * (n - 0.5) + 0.6 * (streak - 0.5)) * 3, 0.0, 1.0);
      return from_hsv(red * 0.02 * (grain - 0.5) + (1 - red) * look.b, 0.8 - 0.1 * grain, 0.62 + 0.25 * (1 - red));
    }
    case Lemon:  // yellow, greener towards the tips, pitted
      return from_hsv(look.a + 0.03 * std::abs(u) * look.b, 0.85 + 0.1 * n, 0.93 - 0.08 * grain * grain);
    case Mango: {  // green to yellow-orange along a random direction, a red blush on one side
      const double t = std::clamp(0.5 + 0.6 * (u * std::cos(look.a) + v * std::sin(look.a)) + 0.3 * (n - 0.5), 0.0, 1.0);
      const double blush = std::clamp((t - look.b) * 4, 0.0, 1.0);
      return from_hsv((0.26 - 0.15 * t) * (1 - blush) + 0.02 * (grain - 0.5) * blush, 0.75 + 0.15 * n, 0.75 + 0.15 * t);
    }
    case Raspberry:
      return from_hsv(look.a + 0.02 * (n - 0.5), 0.78 + 0.12 * grain, look.b + 0.1 * n);
  }
  return {1, 1, 1};
}

// One photo, row-major RGB bytes.
std::vector<unsigned char> photo(Fruit fruit, tg::Generator& gen, int size) {
  auto between = [&](double lo, double hi) { return lo + (hi - lo) * gen.uniform(); };
  const Look look = random_look(fruit, gen);
  const double radius = size * look.size;
  const double cx = size / 2.0 + between(-0.1, 0.1) * size, cy = size / 2.0 + between(-0.1, 0.1) * size;
  const double turn = fruit == Apple || fruit == Raspberry ? between(-0.3, 0.3) : between(0, 2 * pi);
  const double bulge = between(0.03, 0.12);
  double light[3] = {between(-0.7, 0.7), between(-0.9, 0.3), 1};
  const double norm = std::hypot(light[0], light[1], light[2]);
  for (double& l : light) l /= norm;
  const double exposure = between(0.8, 1.15);
  const Noise blotch(gen, 6), fine(gen, fruit == Lemon ? 40 : 24);
  const double shine = fruit == Lemon ? 0.25 : 0.5, sharpness = fruit == Lemon ? 12 : 40;
  const double cell = 0.22;  // a raspberry drupelet's size, in radii

  std::vector<unsigned char> pixels(static_cast<std::size_t>(size * size * 3));
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const double px = x + 0.5 - cx, py = y + 0.5 - cy;
      const double u = (std::cos(turn) * px + std::sin(turn) * py) / radius;
      const double v = (-std::sin(turn) * px + std::cos(turn) * py) / radius;
      const double edge = outline(fruit, std::atan2(v, u), bulge);
      const double d = std::hypot(u, v) / edge;
      const double cover = std::clamp((1 - d) * edge * radius + 0.5, 0.0, 1.0);  // a one-pixel soft rim
      // The white lightbox, with the fruit's soft shadow below it: gray, so it adds no hue.
      const double shadow = std::hypot(px / radius, (py - 0.35 * radius) / radius / 0.6);
      double background = 1.02 - 0.12 * std::exp(-shadow * shadow * 1.5) + 0.01 * gen.normal();
      Rgb c = {background, background, background};
      if (cover > 0) {
        double nu = u / edge, nv = v / edge, crevice = 1;
        if (fruit == Raspberry) {  // each drupelet is a small dome with its own highlight
          const double row = std::floor(v / cell), shift = std::fmod(std::abs(row), 2) * 0.5;
          const double bu = u / cell + shift - std::floor(u / cell + shift) - 0.5, bv = v / cell - row - 0.5;
          const double bd = std::hypot(bu, bv) * 2;
          nu += 0.6 * bu * (bd < 1);
          nv += 0.6 * bv * (bd < 1);
          crevice = bd < 1 ? 1 - 0.35 * std::pow(bd, 4) : 0.55;
        }
        double nz2 = 1 - nu * nu - nv * nv, n[3] = {std::cos(turn) * nu - std::sin(turn) * nv,
                                                    std::sin(turn) * nu + std::cos(turn) * nv, std::sqrt(std::max(nz2, 0.0))};
        const double nn = std::hypot(n[0], n[1], n[2]);
        for (double& k : n) k /= nn;
        const double diffuse = std::max(0.0, n[0] * light[0] + n[1] * light[1] + n[2] * light[2]);
        const double half[3] = {light[0], light[1], light[2] + 1}, hn = std::hypot(half[0], half[1], half[2]);
        const double specular = shine * std::pow(std::max(0.0, (n[0] * half[0] + n[1] * half[1] + n[2] * half[2]) / hn), sharpness);
        const Rgb base = surface(fruit, u, v, blotch, fine, look);
        const double shade = (0.3 + 0.8 * diffuse) * crevice * exposure;
        auto lit = [&](double channel) { return channel * shade + specular + 0.012 * gen.normal(); };
        const Rgb fruit_colour = {lit(base.r), lit(base.g), lit(base.b)};
        c = {cover * fruit_colour.r + (1 - cover) * c.r, cover * fruit_colour.g + (1 - cover) * c.g,
             cover * fruit_colour.b + (1 - cover) * c.b};
      }
      if (fruit == Apple || fruit == Mango) {  // a short brown stem above the top of the outline
        const double top = -outline(fruit, -pi / 2, bulge);
        if (std::abs(u + 0.04 * (v - top)) < 0.045 && v < top + 0.1 && v > top - 0.22) c = from_hsv(0.07, 0.6, 0.3 * exposure);
      }
      unsigned char* p = &pixels[static_cast<std::size_t>((y * size + x) * 3)];
      for (int k = 0; k < 3; ++k) p[k] = static_cast<unsigned char>(std::clamp((&c.r)[k] * 255 + 0.5, 0.0, 255.0));
    }
  return pixels;
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv, {{"out", "data/fruit"}, {"per-class", "490"}, {"seed", "1"}, {"size", "100"}});
  const auto size = static_cast<int>(args.count("size"));
  const std::size_t per_class = args.count("per-class");
  const std::filesystem::path out = args.str("out");
  for (int fruit = Apple; fruit <= Raspberry; ++fruit) {
    std::filesystem::create_directories(out / fruit_names[fruit]);
    for (std::size_t i = 0; i < per_class; ++i) {
      // One generator per photo: the first n photos are the same whatever --per-class is.
      tg::Generator gen(static_cast<std::uint64_t>(args.number("seed")) * 1'000'003 + fruit * 100'003 + i);
      const auto pixels = photo(static_cast<Fruit>(fruit), gen, size);
      char name[32];
      std::snprintf(name, sizeof name, "%04zu.jpg", i);
      const auto file = out / fruit_names[fruit] / name;
      if (!stbi_write_jpg(file.c_str(), size, size, 3, pixels.data(), 92))
        throw std::runtime_error("cannot write " + file.string());
    }
  }
  std::printf("wrote %zu photos of %dx%d pixels per class (apple, lemon, mango, raspberry) into %s\n", per_class, size,
              size, out.c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "make_fruit_images: %s\n", e.what());
  return 1;
}
